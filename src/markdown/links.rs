//! Links and images: `@/` links to content files resolved, the attributes Zola's
//! `external_links_*` give links to other sites, and lazily loaded images.

use super::escape_attribute;
use crate::config::ExternalLinks;
use crate::content::Target;

use super::RenderContext;

/// Turns `@/news/foo.md#bar` into the URL of that page in the current language.
pub(super) fn resolve_link(
    url: &str,
    cx: &RenderContext<'_>,
) -> std::result::Result<(String, Option<(Target, String)>), String> {
    let (file, anchor) = match url.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (url, None),
    };
    let codes: Vec<String> = cx.config.languages.iter().map(|l| l.code.clone()).collect();
    let target = cx
        .content
        .resolve(file, cx.lang, &codes)
        .ok_or_else(|| format!("the link {url} points to a page that does not exist"))?;
    let mut resolved = cx.config.permalink(cx.content.target_path(target));
    let anchor = anchor.map(|a| {
        resolved.push('#');
        resolved.push_str(a);
        (target, a.to_owned())
    });
    Ok((resolved, anchor))
}

/// Whether `url` leads to another host than `site_host` (`http:`, `https:` or `//`).
pub(super) fn is_external(url: &str, site_host: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")) {
        return false;
    }
    let absolute = if lower.starts_with("//") {
        format!("https:{url}")
    } else {
        url.to_owned()
    };
    match url::Url::parse(&absolute) {
        Ok(parsed) => parsed
            .host_str()
            .is_none_or(|host| !host.eq_ignore_ascii_case(site_host)),
        Err(_) => true,
    }
}

/// Zola's tag for an external link: `<a rel="noopener nofollow noreferrer" target="_blank" href="…">`.
pub(super) fn external_link_tag(options: &ExternalLinks, url: &str, title: &str) -> String {
    let mut tag = String::from("<a ");
    if let Some(class) = &options.class {
        tag.push_str(&format!("class=\"{}\" ", escape_attribute(class)));
    }
    let rel: Vec<&str> = [
        (options.target_blank, "noopener"),
        (options.no_follow, "nofollow"),
        (options.no_referrer, "noreferrer"),
        (options.external, "external"),
    ]
    .into_iter()
    .filter_map(|(on, word)| on.then_some(word))
    .collect();
    if !rel.is_empty() {
        tag.push_str(&format!("rel=\"{}\" ", rel.join(" ")));
    }
    if options.target_blank {
        tag.push_str("target=\"_blank\" ");
    }
    if !title.is_empty() {
        tag.push_str(&format!("title=\"{}\" ", escape_attribute(title)));
    }
    tag.push_str(&format!("href=\"{}\">", escape_attribute(url)));
    tag
}

/// `loading="lazy" decoding="async"` on every image that does not say how it loads.
pub(super) fn lazy_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find("<img ") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..end];
        out.push_str(&rest[..at]);
        if tag.contains(" loading=") {
            out.push_str(tag);
        } else {
            let body = tag.trim_end_matches('/').trim_end();
            out.push_str(body);
            out.push_str(" loading=\"lazy\" decoding=\"async\"");
            if tag.ends_with('/') {
                out.push_str(" /");
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_load_lazily_once() {
        assert_eq!(
            lazy_images("<p><img src=\"a.png\" alt=\"A\" /> <img src=\"b.png\" loading=\"eager\"></p>"),
            "<p><img src=\"a.png\" alt=\"A\" loading=\"lazy\" decoding=\"async\" /> <img src=\"b.png\" loading=\"eager\"></p>"
        );
    }

    #[test]
    fn external_links_get_what_zola_gives_them() {
        let options = ExternalLinks {
            target_blank: true,
            no_follow: true,
            no_referrer: true,
            ..ExternalLinks::default()
        };
        assert_eq!(
            external_link_tag(&options, "https://google.com", ""),
            "<a rel=\"noopener nofollow noreferrer\" target=\"_blank\" href=\"https://google.com\">"
        );
    }

    #[test]
    fn only_other_hosts_are_external() {
        assert!(is_external("https://www.getzola.org/", "example.org"));
        assert!(is_external("//cdn.example.com/x.js", "example.org"));
        assert!(!is_external("https://EXAMPLE.org/news/", "example.org"));
        assert!(!is_external("/news/", "example.org"));
        assert!(!is_external("mailto:a@b.org", "example.org"));
    }
}
