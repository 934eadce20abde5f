//! Responsive images: smaller copies of page-bundle photos for `srcset`, made with the
//! `image` crate and cached in `.mekong-cache/images/` so a rebuild does not resize again.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};

/// Widths offered to browsers, in CSS pixels of a full-width article image and its 2× copy.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];

/// The folder, inside the site, where resized copies are kept between builds.
pub const CACHE_DIR: &str = ".mekong-cache/images";

/// One resized copy: the file name beside the page and the cached file holding it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub width: u32,
    pub name: String,
    pub cached: PathBuf,
}

/// A bundle image the theme can offer in several widths.
#[derive(Debug, Clone, PartialEq)]
pub struct Responsive {
    pub name: String,
    pub width: u32,
    pub height: u32,
    /// Smaller copies, narrowest first (the original is the widest choice).
    pub variants: Vec<Variant>,
    pub source: PathBuf,
}

fn is_raster(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jpg" | "jpeg" | "png"))
}

/// What copies an image gets: read from its header only, so this is cheap.
pub fn plan(root: &Path, source: &Path) -> Option<Responsive> {
    if !is_raster(source) {
        return None;
    }
    let (width, height) = image::image_dimensions(source).ok()?;
    let name = source.file_name()?.to_string_lossy().into_owned();
    let (stem, extension) = name.rsplit_once('.')?;
    let bytes = std::fs::metadata(source).ok()?;
    let modified = bytes
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    // The cache key changes whenever the source does.
    let key =
        xxhash_rust::xxh3::xxh3_64(format!("{}|{}|{modified}", source.display(), bytes.len()).as_bytes());
    let variants = WIDTHS
        .iter()
        .filter(|w| **w < width)
        .map(|w| Variant {
            width: *w,
            name: format!("{stem}-{w}w.{extension}"),
            cached: root.join(CACHE_DIR).join(format!("{key:016x}-{w}.{extension}")),
        })
        .collect();
    Some(Responsive {
        name,
        width,
        height,
        variants,
        source: source.to_path_buf(),
    })
}

/// Makes the cached copies that do not exist yet.
pub fn make(image: &Responsive) -> Result<()> {
    let missing: Vec<&Variant> = image.variants.iter().filter(|v| !v.cached.exists()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let shown = image.source.display().to_string();
    let decoded = image::open(&image.source).map_err(|err| {
        Error::new(
            Diagnostic::error(&shown, format!("the image could not be read: {err}"))
                .hint("save it again as a JPEG or PNG file"),
        )
    })?;
    for variant in missing {
        let height =
            (u64::from(image.height) * u64::from(variant.width) / u64::from(image.width)).max(1) as u32;
        let resized = decoded.resize_exact(variant.width, height, image::imageops::FilterType::Lanczos3);
        if let Some(parent) = variant.cached.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        // Write under a temporary name first, so an interrupted build leaves no half file.
        let temp = variant.cached.with_extension("part");
        let format = image::ImageFormat::from_path(&variant.cached)
            .map_err(|err| Error::new(Diagnostic::error(&shown, err.to_string())))?;
        resized.save_with_format(&temp, format).map_err(|err| {
            Error::new(Diagnostic::error(
                &shown,
                format!("the resized copy could not be written: {err}"),
            ))
        })?;
        std::fs::rename(&temp, &variant.cached).map_err(|err| Error::io(&variant.cached, "write", &err))?;
    }
    Ok(())
}

/// Adds `srcset`, `sizes`, the intrinsic size and lazy loading to `<img src="name">` tags.
pub fn rewrite_html(html: &str, images: &[Responsive]) -> String {
    let mut html = html.to_owned();
    for image in images {
        let tag = format!("<img src=\"{}\"", image.name);
        if !html.contains(&tag) {
            continue;
        }
        let mut srcset: Vec<String> = image
            .variants
            .iter()
            .map(|v| format!("{} {}w", v.name, v.width))
            .collect();
        srcset.push(format!("{} {}w", image.name, image.width));
        let replacement = format!(
            "{tag} srcset=\"{}\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\"",
            srcset.join(", "),
            image.width,
            image.height
        );
        html = html.replace(&tag, &replacement);
    }
    html
}
