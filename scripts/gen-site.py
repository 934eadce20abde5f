#!/usr/bin/env python3
"""Generates a synthetic trilingual news site (vi, en, km) for benchmarks.

usage: gen-site.py DIR ARTICLES_PER_LANGUAGE

Writes the mekong site at DIR (config.toml, content/) and the same articles for Hugo at
DIR/hugo (hugo.toml, content/, layouts/, i18n/), so both build the same text.

Each article, in each language: 600–1,200 words, 3–5 headings, a bulleted and sometimes a
numbered list, 2–4 links to other articles and one to an outside site, a summary marker
after the first paragraph, 2–5 of 50 tags; one article in ten has a fenced code block.
Articles are spread over four sections; sections and tags are paginated by 10.

Only the front matter differs between the two copies: mekong reads tags from a
`[taxonomies]` table and rejects unknown keys, Hugo reads `tags` at the top level; mekong's
summary marker is `<!-- more -->`, Hugo's `<!--more-->`. The bodies are byte for byte equal.
"""
import datetime
import os
import random
import sys

VI = ("hợp tác đối ngoại biên giới tỉnh Đắk Nông phát triển kinh tế hội nhập quốc tế nhân dân "
      "hữu nghị truyền thống đầu tư thương mại văn hóa giáo dục y tế du lịch cửa khẩu").split()
EN = ("cooperation foreign affairs border province development economy integration people "
      "friendship tradition investment trade culture education health tourism gate").split()
KM = ("កិច្ចសហប្រតិបត្តិការ ការបរទេស ព្រំដែន ខេត្ត ការអភិវឌ្ឍ សេដ្ឋកិច្ច សមាហរណកម្ម ប្រជាជន "
      "មិត្តភាព ប្រពៃណី វិនិយោគ ពាណិជ្ជកម្ម វប្បធម៌ អប់រំ សុខាភិបាល ទេសចរណ៍").split()
WORDS = {"vi": VI, "en": EN, "km": KM}
# (code, file suffix, URL prefix)
LANGUAGES = (("vi", "", ""), ("en", ".en", "en/"), ("km", ".km", "km/"))
SECTIONS = ("news", "economy", "culture", "border")
SECTION_TITLES = {
    "vi": ("Tin tức", "Kinh tế", "Văn hóa", "Biên giới"),
    "en": ("News", "Economy", "Culture", "Border"),
    "km": ("ព័ត៌មាន", "សេដ្ឋកិច្ច", "វប្បធម៌", "ព្រំដែន"),
}
TAGS = 50
START = datetime.datetime(2010, 1, 1, 8, 0, tzinfo=datetime.timezone.utc)

CODE = """```rust
fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    (dx * dx + dy * dy).sqrt()
}

fn main() {
    let gate = (12.43, 107.48);
    let town = (12.00, 107.69);
    println!("{:.2}", distance(gate, town));
}
```"""


def phrase(rng, words, n, khmer):
    chosen = [rng.choice(words) for _ in range(n)]
    if khmer:
        # Khmer writes words without spaces inside a phrase; spaces separate phrases.
        return " ".join("".join(chosen[i:i + 6]) for i in range(0, len(chosen), 6))
    return " ".join(chosen)


def sentence(rng, words, n, khmer):
    text = phrase(rng, words, n, khmer)
    return text + "។" if khmer else text.capitalize() + "."


def article_path(j):
    return f"{SECTIONS[j % len(SECTIONS)]}/a{j:05}/"


def body(rng, i, count, lang, prefix):
    """Markdown body; the summary marker is written as {MORE}."""
    words, khmer = WORDS[lang], lang == "km"
    target = rng.randint(600, 1200)
    headings = rng.randint(3, 5)
    # Paragraphs of 40–110 words until the target; headings spread evenly between them.
    sizes = []
    while sum(sizes) < target:
        sizes.append(rng.randint(40, 110))
    list_items = [rng.randint(6, 12) for _ in range(rng.randint(3, 6))]
    numbered = [rng.randint(6, 12) for _ in range(rng.randint(3, 5))] if i % 3 == 0 else []
    # The lists' words count towards the target: drop paragraphs to make room.
    while len(sizes) > headings + 2 and sum(sizes) + sum(list_items) + sum(numbered) > target + 60:
        sizes.pop()
    heading_at = {1 + round(k * (len(sizes) - 1) / headings) for k in range(headings)}
    links = rng.randint(2, 4)
    link_at = set(rng.sample(range(1, len(sizes)), min(links, len(sizes) - 1)))
    out = []
    for p, size in enumerate(sizes):
        if p in heading_at:
            out.append(f"## {sentence(rng, words, rng.randint(3, 7), khmer).rstrip('.។')}")
        text = sentence(rng, words, size, khmer)
        if p in link_at:
            j = rng.randrange(count)
            label = phrase(rng, words, 3, khmer)
            text += f" [{label}](/{prefix}{article_path(j)})"
        if p == 1:
            text += f" [{phrase(rng, words, 2, khmer)}](https://example.com/{lang}/{i}) "
        out.append(text)
        if p == 0:
            out.append("{MORE}")
        if p == 2:
            out.append("\n".join(f"- {sentence(rng, words, n, khmer)}" for n in list_items))
        if p == 4 and numbered:
            out.append("\n".join(f"{k + 1}. {sentence(rng, words, n, khmer)}"
                                 for k, n in enumerate(numbered)))
        if p == 3 and i % 10 == 0:
            out.append(CODE)
    return "\n\n".join(out) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    hugo = f"{out}/hugo"
    rng = random.Random(42)
    sections = ", ".join(f'"{s}/_index.md"' for s in SECTIONS)
    write(f"{out}/config.toml",
          'title = "Bench"\nbase_url = "https://example.org/"\ndefault_language = "vi"\n'
          '[languages.vi]\nname = "Tiếng Việt"\nlocale = "vi-VN"\n'
          '[languages.en]\nname = "English"\nlocale = "en-GB"\n'
          '[languages.km]\nname = "ភាសាខ្មែរ"\nlocale = "km-KH"\n'
          '[[taxonomies]]\nname = "tags"\npaginate_by = 10\n'
          '[markdown]\nhighlight_code = true\n'
          f'[extra]\nmenu = [{{ key = "nav-news", path = "news/" }}]\nhome_sections = [{sections}]\n')
    for lang, suffix, _ in LANGUAGES:
        write(f"{out}/content/_index{suffix}.md", '+++\ntitle = "Home"\n+++\n')
        write(f"{hugo}/content/_index{suffix}.md", '+++\ntitle = "Home"\n+++\n')
        for s, section in enumerate(SECTIONS):
            title = SECTION_TITLES[lang][s]
            write(f"{out}/content/{section}/_index{suffix}.md",
                  f'+++\ntitle = "{title}"\nsort_by = "date"\npaginate_by = 10\n+++\n')
            write(f"{hugo}/content/{section}/_index{suffix}.md", f'+++\ntitle = "{title}"\n+++\n')
    for i in range(count):
        tags = ", ".join(f'"tag{n}"' for n in rng.sample(range(TAGS), rng.randint(2, 5)))
        date = (START + datetime.timedelta(hours=6 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for lang, suffix, prefix in LANGUAGES:
            title = f"{sentence(rng, WORDS[lang], 6, lang == 'km').rstrip('.។')} {i}"
            text = body(rng, i, count, lang, prefix)
            name = f"{article_path(i).rstrip('/')}{suffix}.md"
            write(f"{out}/content/{name}",
                  f'+++\ntitle = "{title}"\ndate = {date}\n[taxonomies]\ntags = [{tags}]\n+++\n'
                  + text.replace("{MORE}", "<!-- more -->"))
            write(f"{hugo}/content/{name}",
                  f'+++\ntitle = "{title}"\ndate = {date}\ntags = [{tags}]\n+++\n'
                  + text.replace("{MORE}", "<!--more-->"))
    write_hugo(hugo)


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Bench"
defaultContentLanguage = "vi"
enableRobotsTXT = true
# Hugo 0.111 reads `paginate`; later versions `[pagination] pagerSize`.
paginate = 10
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
# mekong's feeds hold the newest 20 entries.
[services.rss]
limit = 20
# mekong's related articles: pages sharing the most tags, newest first.
[related]
threshold = 0
includeNewer = true
toLower = false
[[related.indices]]
name = "tags"
weight = 100
[[related.indices]]
name = "date"
weight = 10
[params]
# Hugo's related pages are slow on this corpus (0.111, 3,000 pages: 18 s with them, 11 s
# without) and grow faster than the site, so they are off unless HUGO_PARAMS_RELATED=true:
# without them Hugo does less work than mekong, which always lists three related articles.
related = false
home_sections = ["news", "economy", "culture", "border"]
[markup.highlight]
noClasses = false
[languages.vi]
weight = 1
languageName = "Tiếng Việt"
languageCode = "vi-VN"
[languages.en]
weight = 2
languageName = "English"
languageCode = "en-GB"
[languages.km]
weight = 3
languageName = "ភាសាខ្មែរ"
languageCode = "km-KH"
"""

# Comparable to mekong's default theme: the same head (canonical, hreflang, Open Graph, feed
# link), header with language switcher and menu, footer; pages with table of contents, reading
# time, tags, three related articles (only with HUGO_PARAMS_RELATED=true, see hugo.toml) and
# previous/next; paginated lists with summaries;
# a home page listing each section; the list of tags; a 404 page. Hugo adds RSS feeds (home,
# sections, tags) and sitemaps by itself.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Language.Lang }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
  <meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
  <link rel="canonical" href="{{ .Permalink }}">
  {{- range .AllTranslations }}
  <link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
  {{- end }}
  <meta property="og:site_name" content="{{ .Site.Title }}">
  <meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
  <meta property="og:title" content="{{ .Title }}">
  <meta property="og:description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
  <meta property="og:url" content="{{ .Permalink }}">
  <meta property="og:locale" content="{{ replace .Site.LanguageCode "-" "_" }}">
  {{- range .Translations }}
  <meta property="og:locale:alternate" content="{{ replace .Site.LanguageCode "-" "_" }}">
  {{- end }}
  <meta name="twitter:card" content="summary">
  <meta name="twitter:title" content="{{ .Title }}">
  {{- with .Site.Home.OutputFormats.Get "rss" }}
  <link rel="alternate" type="application/rss+xml" title="{{ $.Site.Title }}" href="{{ .Permalink }}">
  {{- end }}
  <link rel="stylesheet" href="{{ "css/style.css" | absURL }}">
</head>
<body>
  <a class="skip-link" href="#main">{{ i18n "skip-to-content" }}</a>
  {{ partial "header.html" . }}
  <main id="main" class="wrap">
    {{ block "main" . }}{{ end }}
  </main>
  {{ partial "footer.html" . }}
</body>
</html>
""",
    "partials/header.html": """<header class="site-header">
  <div class="wrap header-row">
    <a class="site-title" href="{{ .Site.Home.Permalink }}">{{ .Site.Title }}</a>
    <nav class="languages" aria-label="{{ i18n "language-switcher" }}">
      <ul>
      {{- range .AllTranslations }}
        <li>
        {{- if eq .Language.Lang $.Language.Lang }}
          <span class="current" aria-current="true" lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</span>
        {{- else }}
          <a href="{{ .Permalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>
        {{- end }}
        </li>
      {{- end }}
      </ul>
    </nav>
  </div>
  <nav class="main-nav" aria-label="{{ i18n "site-navigation" }}">
    <div class="wrap"><ul>
      <li><a href="{{ .Site.Home.Permalink }}">{{ i18n "nav-home" }}</a></li>
      <li><a href="{{ "news/" | relLangURL }}">{{ i18n "nav-news" }}</a></li>
    </ul></div>
  </nav>
</header>
""",
    "partials/footer.html": """<footer class="site-footer">
  <div class="wrap footer-grid">
    <div>
      <p class="footer-title">{{ .Site.Title }}</p>
      <p>{{ i18n "footer-about" }}</p>
    </div>
    <nav>
      <ul>
        {{- with .Site.Home.OutputFormats.Get "rss" }}
        <li><a href="{{ .Permalink }}" type="application/rss+xml">{{ i18n "footer-feed-rss" }}</a></li>
        {{- end }}
        <li><a href="#main">{{ i18n "back-to-top" }}</a></li>
      </ul>
    </nav>
  </div>
</footer>
""",
    "partials/article_list.html": """{{- if . }}
<ul class="article-list">
  {{- range . }}
  <li>
    <article>
      <h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>
      <p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ i18n "published-on" }} {{ .Date | time.Format ":date_long" }}</time></p>
      <div class="summary">{{ .Summary }}</div>
      <p><a class="read-more" href="{{ .Permalink }}">{{ i18n "read-more" }}<span class="visually-hidden">: {{ .Title }}</span></a></p>
    </article>
  </li>
  {{- end }}
</ul>
{{- else }}
<p>{{ i18n "no-articles" }}</p>
{{- end }}
""",
    "_default/single.html": """{{ define "title" }}{{ .Title }} – {{ .Site.Title }}{{ end }}
{{ define "main" }}
<article class="article">
  <header>
    <p class="kicker"><a href="{{ .Parent.Permalink }}">{{ .Parent.Title }}</a></p>
    <h1>{{ .Title }}</h1>
    <p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ i18n "published-on" }} {{ .Date | time.Format ":date_long" }}</time> · {{ i18n "reading-time" .ReadingTime }}</p>
  </header>
  {{- with .TableOfContents }}
  <nav class="toc"><h2>{{ i18n "table-of-contents" }}</h2>{{ . }}</nav>
  {{- end }}
  <div class="prose">{{ .Content }}</div>
  {{- with .GetTerms "tags" }}
  <nav class="terms"><h2>{{ i18n "taxonomy-tags" }}</h2>
    <ul>{{ range . }}<li><a href="{{ .Permalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
  </nav>
  {{- end }}
  {{- if .Site.Params.related }}
  {{- with first 3 (.Site.RegularPages.Related .) }}
  <nav class="related"><h2>{{ i18n "related-articles" }}</h2>
    <ul>{{ range . }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ul>
  </nav>
  {{- end }}
  {{- end }}
  {{- if or .PrevInSection .NextInSection }}
  <nav class="neighbours">
    {{- with .PrevInSection }}<a rel="prev" href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}
    {{- with .NextInSection }}<a rel="next" href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}
  </nav>
  {{- end }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "title" }}{{ .Title }} – {{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{- $p := .Paginate .Pages }}
{{ partial "article_list.html" $p.Pages }}
{{- if gt $p.TotalPages 1 }}
<nav class="pagination" aria-label="{{ i18n "pagination" }}">
  {{- with $p.Prev }}<a rel="prev" href="{{ .URL }}">{{ i18n "pagination-previous" }}</a>{{ end }}
  <span>{{ $p.PageNumber }} / {{ $p.TotalPages }}</span>
  {{- with $p.Next }}<a rel="next" href="{{ .URL }}">{{ i18n "pagination-next" }}</a>{{ end }}
</nav>
{{- end }}
{{ end }}
""",
    "_default/terms.html": """{{ define "title" }}{{ i18n "taxonomy-tags" }} – {{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ i18n "taxonomy-tags" }}</h1>
<ul class="term-list">
  {{- range .Data.Terms.Alphabetical }}
  <li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> <span class="count">({{ .Count }})</span></li>
  {{- end }}
</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{- range $i, $name := .Site.Params.home_sections }}
{{- with $.Site.GetPage $name }}
<section class="home-list">
  <h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>
  {{ partial "article_list.html" (first (cond (eq $i 0) 6 4) .Pages) }}
</section>
{{- end }}
{{- end }}
{{ end }}
""",
    "404.html": """{{ define "main" }}
<h1>{{ i18n "not-found-title" }}</h1>
<p><a href="{{ .Site.Home.Permalink }}">{{ i18n "nav-home" }}</a></p>
{{ end }}
""",
}

HUGO_STRINGS = {
    "vi": {"skip-to-content": "Chuyển đến nội dung", "language-switcher": "Ngôn ngữ",
           "site-navigation": "Điều hướng", "nav-home": "Trang chủ", "nav-news": "Tin tức",
           "footer-about": "Trang tin đối ngoại", "footer-feed-rss": "RSS",
           "back-to-top": "Lên đầu trang", "published-on": "Đăng ngày",
           "read-more": "Đọc tiếp", "no-articles": "Chưa có bài viết.",
           "reading-time": "{{ .Count }} phút đọc", "table-of-contents": "Mục lục",
           "taxonomy-tags": "Thẻ", "related-articles": "Bài liên quan",
           "pagination": "Phân trang", "pagination-previous": "Trang trước",
           "pagination-next": "Trang sau", "not-found-title": "Không tìm thấy trang"},
    "en": {"skip-to-content": "Skip to content", "language-switcher": "Language",
           "site-navigation": "Site navigation", "nav-home": "Home", "nav-news": "News",
           "footer-about": "Foreign affairs news", "footer-feed-rss": "RSS",
           "back-to-top": "Back to top", "published-on": "Published",
           "read-more": "Read more", "no-articles": "No articles yet.",
           "reading-time": "{{ .Count }} min read", "table-of-contents": "Contents",
           "taxonomy-tags": "Tags", "related-articles": "Related articles",
           "pagination": "Pagination", "pagination-previous": "Previous",
           "pagination-next": "Next", "not-found-title": "Page not found"},
    "km": {"skip-to-content": "រំលងទៅខ្លឹមសារ", "language-switcher": "ភាសា",
           "site-navigation": "ការរុករក", "nav-home": "ទំព័រដើម", "nav-news": "ព័ត៌មាន",
           "footer-about": "ព័ត៌មានការបរទេស", "footer-feed-rss": "RSS",
           "back-to-top": "ត្រឡប់ទៅលើ", "published-on": "ចុះផ្សាយ",
           "read-more": "អានបន្ត", "no-articles": "មិនទាន់មានអត្ថបទ។",
           "reading-time": "អាន {{ .Count }} នាទី", "table-of-contents": "មាតិកា",
           "taxonomy-tags": "ស្លាក", "related-articles": "អត្ថបទពាក់ព័ន្ធ",
           "pagination": "ទំព័រ", "pagination-previous": "មុន",
           "pagination-next": "បន្ទាប់", "not-found-title": "រកមិនឃើញទំព័រ"},
}


def write_hugo(hugo):
    write(f"{hugo}/hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(f"{hugo}/layouts/{name}", text)
    for lang, strings in HUGO_STRINGS.items():
        write(f"{hugo}/i18n/{lang}.toml",
              "".join(f'[{key}]\nother = "{value}"\n' for key, value in strings.items()))
    # A stylesheet as mekong's theme ships one (mekong also copies fonts and scripts).
    write(f"{hugo}/static/css/style.css", "body { font-family: system-ui, sans-serif; }\n")


if __name__ == "__main__":
    main()
