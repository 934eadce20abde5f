//! What kind of file an output is, for the `Content-Type` it is served with.

/// The `Content-Type` of an output file, by its name: the preview server and object storage
/// serve the same. Text is always UTF-8, as mekong writes it.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "geojson" => "application/geo+json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" if name == "atom.xml" => "application/atom+xml; charset=utf-8",
        "xml" if name == "rss.xml" => "application/rss+xml; charset=utf-8",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_served_as_utf8_and_feeds_as_feeds() {
        assert_eq!(content_type("en/news/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("km/atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("rss.xml"), "application/rss+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("search/vi.json"), "application/json; charset=utf-8");
        assert_eq!(
            content_type("tuyen/route.geojson"),
            "application/geo+json; charset=utf-8"
        );
        assert_eq!(content_type("img/logo.PNG"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
