#!/usr/bin/env python3
"""Generates a synthetic trilingual site (vi, en, km) for benchmarks.

usage: gen-site.py DIR ARTICLES_PER_LANGUAGE

Writes DIR/config.toml and DIR/content/ for mekong, and DIR/hugo.toml plus minimal layouts
so Hugo can build the very same content for comparison. Each article has ~800 words, a few
of 50 tags, and every fifth one a fenced code block; sections and tags are paginated.
"""
import os
import random
import sys

VI = ("hợp tác đối ngoại biên giới tỉnh Đắk Nông phát triển kinh tế hội nhập quốc tế nhân dân "
      "hữu nghị truyền thống đầu tư thương mại văn hóa giáo dục y tế du lịch cửa khẩu").split()
EN = ("cooperation foreign affairs border province development economy integration people "
      "friendship tradition investment trade culture education health tourism gate").split()
KM = ("កិច្ចសហប្រតិបត្តិការ ការបរទេស ព្រំដែន ខេត្ត ការអភិវឌ្ឍ សេដ្ឋកិច្ច សមាហរណកម្ម ប្រជាជន "
      "មិត្តភាព ប្រពៃណី វិនិយោគ ពាណិជ្ជកម្ម វប្បធម៌ អប់រំ សុខាភិបាល ទេសចរណ៍").split()

CODE = """
```rust
fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    (dx * dx + dy * dy).sqrt()
}
```
"""


def paragraph(rng, words, n, khmer=False):
    chosen = [rng.choice(words) for _ in range(n)]
    if khmer:
        # Khmer writes words without spaces inside a phrase; spaces separate phrases.
        phrases = ["".join(chosen[i:i + 6]) for i in range(0, len(chosen), 6)]
        return " ".join(phrases) + "។"
    return " ".join(chosen).capitalize() + "."


def article(rng, i, lang, words, tags):
    khmer = lang == "km"
    title = paragraph(rng, words, 6, khmer).rstrip(".។")
    body = []
    for p in range(10):
        if p == 3:
            body.append(f"## {paragraph(rng, words, 4, khmer).rstrip('.។')}")
        body.append(paragraph(rng, words, 80, khmer))
        if p == 0:
            body.append("<!-- more -->")
    if i % 5 == 0:
        body.insert(5, CODE)
    tag_list = ", ".join(f'"{t}"' for t in tags)
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 2000 + i // 336
    return (f'+++\ntitle = "{title} {i}"\ndate = {year:04}-{month:02}-{day:02}\n'
            f'[taxonomies]\ntags = [{tag_list}]\n+++\n' + "\n\n".join(body) + "\n")


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    os.makedirs(f"{out}/content/news", exist_ok=True)
    with open(f"{out}/config.toml", "w") as f:
        f.write('title = "Bench"\nbase_url = "https://example.org/"\ndefault_language = "vi"\n'
                '[languages.vi]\nname = "Tiếng Việt"\nlocale = "vi-VN"\n'
                '[languages.en]\nname = "English"\nlocale = "en-GB"\n'
                '[languages.km]\nname = "ភាសាខ្មែរ"\nlocale = "km-KH"\n'
                '[[taxonomies]]\nname = "tags"\npaginate_by = 10\n')
    for lang, suffix in (("vi", ""), ("en", ".en"), ("km", ".km")):
        with open(f"{out}/content/_index{suffix}.md", "w") as f:
            f.write('+++\ntitle = "Home"\n+++\n')
        with open(f"{out}/content/news/_index{suffix}.md", "w") as f:
            f.write('+++\ntitle = "News"\nsort_by = "date"\npaginate_by = 10\n+++\n')
    words = {"vi": VI, "en": EN, "km": KM}
    for i in range(count):
        tags = [f"tag{n}" for n in rng.sample(range(50), 3)]
        for lang, suffix in (("vi", ""), ("en", ".en"), ("km", ".km")):
            with open(f"{out}/content/news/a{i:05}{suffix}.md", "w") as f:
                f.write(article(rng, i, lang, words[lang], tags))
    write_hugo(out)


def write_hugo(out):
    """The same content for Hugo: languages by file suffix, minimal but comparable layouts."""
    with open(f"{out}/hugo.toml", "w") as f:
        f.write('baseURL = "https://example.org/"\ntitle = "Bench"\ndefaultContentLanguage = "vi"\n'
                'disableKinds = []\n[pagination]\npagerSize = 10\n[taxonomies]\ntag = "tags"\n'
                '[languages.vi]\nweight = 1\n[languages.en]\nweight = 2\n[languages.km]\nweight = 3\n'
                '[markup.highlight]\nnoClasses = false\n')
    layouts = {
        "baseof.html": '<!doctype html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">'
                       '<title>{{ .Title }}</title>{{ range .Translations }}<link rel="alternate" '
                       'hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}</head><body>'
                       '<nav>{{ range .Site.Home.AllTranslations }}<a href="{{ .Permalink }}">'
                       '{{ .Language.Lang }}</a>{{ end }}</nav><main>{{ block "main" . }}{{ end }}</main>'
                       '</body></html>',
        "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}'
                       '</time><p>{{ .ReadingTime }} min</p>{{ .TableOfContents }}{{ .Content }}'
                       '<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .Permalink }}">{{ .LinkTitle }}'
                       '</a></li>{{ end }}</ul></article>{{ end }}',
        "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages }}{{ range $p.Pages }}'
                     '<article><h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>{{ .Summary }}</article>'
                     '{{ end }}{{ with $p.Next }}<a href="{{ .URL }}">next</a>{{ end }}{{ end }}',
    }
    os.makedirs(f"{out}/layouts/_default", exist_ok=True)
    for name, text in layouts.items():
        with open(f"{out}/layouts/_default/{name}", "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
