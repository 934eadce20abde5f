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
        let format = image::ImageFormat::from_path(&variant.cached)
            .map_err(|err| Error::new(Diagnostic::error(&shown, err.to_string())))?;
        write_cached(&variant.cached, |out| {
            resized.write_to(out, format).map_err(|err| err.to_string())
        })
        .map_err(|err| {
            Error::new(Diagnostic::error(
                &shown,
                format!("the resized copy could not be written: {err}"),
            ))
        })?;
    }
    Ok(())
}

/// How Zola's `resize_image` fits an image into the size it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResizeOp {
    /// Exactly `width` × `height`, whatever the aspect ratio.
    Scale,
    FitWidth,
    FitHeight,
    /// Within `width` × `height`, keeping the aspect ratio, never larger than the original.
    Fit,
    /// The centre part of the image with the aspect ratio of `width` × `height`, at that size.
    Fill,
}

impl ResizeOp {
    pub fn parse(name: &str) -> Option<ResizeOp> {
        Some(match name {
            "scale" => ResizeOp::Scale,
            "fit_width" => ResizeOp::FitWidth,
            "fit_height" => ResizeOp::FitHeight,
            "fit" => ResizeOp::Fit,
            "fill" => ResizeOp::Fill,
            _ => return None,
        })
    }
}

/// A resized copy a template asked for, kept in the cache folder.
#[derive(Debug, Clone)]
pub struct Processed {
    /// File name below `processed_images/`: a hash of the source and the arguments.
    pub name: String,
    pub cached: PathBuf,
    pub width: u32,
    pub height: u32,
    pub orig_width: u32,
    pub orig_height: u32,
}

/// Resizes `source` as Zola's `resize_image` does (made once, then taken from the cache).
/// `format` is `auto` (the source's), `jpg` or `png`; `quality` is the JPEG quality.
pub fn process(
    root: &Path,
    source: &Path,
    op: ResizeOp,
    (width, height): (Option<u32>, Option<u32>),
    format: &str,
    quality: u8,
) -> std::result::Result<Processed, String> {
    let (orig_width, orig_height) =
        image::image_dimensions(source).map_err(|err| format!("the image could not be read: {err}"))?;
    let need = |size: Option<u32>, name: &str| {
        size.filter(|n| *n > 0)
            .ok_or_else(|| format!("`{name}` is needed for op=\"{op:?}\"").to_lowercase())
    };
    let scaled = |a: u32, b: u32, c: u32| (u64::from(a) * u64::from(b) / u64::from(c).max(1)).max(1) as u32;
    let (target_width, target_height) = match op {
        ResizeOp::Scale | ResizeOp::Fill => (need(width, "width")?, need(height, "height")?),
        ResizeOp::FitWidth => {
            let w = need(width, "width")?;
            (w, scaled(orig_height, w, orig_width))
        }
        ResizeOp::FitHeight => {
            let h = need(height, "height")?;
            (scaled(orig_width, h, orig_height), h)
        }
        ResizeOp::Fit => {
            let (w, h) = (need(width, "width")?, need(height, "height")?);
            if orig_width <= w && orig_height <= h {
                (orig_width, orig_height)
            } else if u64::from(orig_width) * u64::from(h) > u64::from(orig_height) * u64::from(w) {
                (w, scaled(orig_height, w, orig_width))
            } else {
                (scaled(orig_width, h, orig_height), h)
            }
        }
    };
    let source_format = image::ImageFormat::from_path(source).map_err(|err| err.to_string())?;
    let extension = match format {
        "auto" if source_format == image::ImageFormat::Png => "png",
        "auto" | "jpg" | "jpeg" => "jpg",
        "png" => "png",
        other => return Err(format!("format `{other}` is not supported; use auto, jpg or png")),
    };
    let meta = std::fs::metadata(source).map_err(|err| err.to_string())?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let key = xxhash_rust::xxh3::xxh3_64(
        format!(
            "{}|{}|{modified}|{op:?}|{target_width}x{target_height}|{extension}|{quality}",
            source.display(),
            meta.len()
        )
        .as_bytes(),
    );
    let name = format!("{key:016x}.{extension}");
    let cached = root.join(CACHE_DIR).join(format!("zola-{name}"));
    if !cached.exists() {
        let decoded = image::open(source).map_err(|err| format!("the image could not be read: {err}"))?;
        let resized = match op {
            ResizeOp::Fill => {
                decoded.resize_to_fill(target_width, target_height, image::imageops::FilterType::Lanczos3)
            }
            _ => decoded.resize_exact(target_width, target_height, image::imageops::FilterType::Lanczos3),
        };
        write_cached(&cached, |out| {
            match extension {
                "png" => resized.write_to(out, image::ImageFormat::Png),
                _ => image::codecs::jpeg::JpegEncoder::new_with_quality(out, quality)
                    .encode_image(&resized.to_rgb8()),
            }
            .map_err(|err| err.to_string())
        })
        .map_err(|err| format!("the resized copy could not be written: {err}"))?;
    }
    Ok(Processed {
        name,
        cached,
        width: target_width,
        height: target_height,
        orig_width,
        orig_height,
    })
}

/// Writes a cached copy under a name of its own, then renames it into place: an interrupted
/// build leaves no half file, and two pages asking for the same copy at once (a page and its
/// translation, two templates calling `resize_image`) do not trip over each other's file.
fn write_cached(
    cached: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> Result<(), String>,
) -> Result<(), String> {
    let folder = cached
        .parent()
        .ok_or_else(|| format!("{} has no folder", cached.display()))?;
    std::fs::create_dir_all(folder).map_err(|err| format!("{}: {err}", folder.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".part-")
        .tempfile_in(folder)
        .map_err(|err| format!("{}: {err}", folder.display()))?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        write(&mut out)?;
        std::io::Write::flush(&mut out).map_err(|err| err.to_string())?;
    }
    temp.persist(cached)
        .map_err(|err| format!("{}: {}", cached.display(), err.error))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Many templates asking for the same resized copy at once (they render in parallel) all
    /// get it: each writer has a temporary file of its own.
    #[test]
    fn the_same_copy_asked_for_at_once_is_made_for_all() {
        let root = tempfile::tempdir().expect("temp dir");
        let source = root.path().join("boats.png");
        image::RgbImage::from_fn(64, 32, |x, y| image::Rgb([x as u8 * 4, y as u8 * 8, 90]))
            .save(&source)
            .expect("source image");
        for round in 0..4 {
            let width = 10 + round;
            let results: Vec<std::result::Result<Processed, String>> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            process(
                                root.path(),
                                &source,
                                ResizeOp::Fit,
                                (Some(width), Some(10)),
                                "auto",
                                75,
                            )
                        })
                    })
                    .collect();
                workers.into_iter().map(|w| w.join().expect("no panic")).collect()
            });
            for result in results {
                let made = result.expect("every caller gets the copy");
                assert_eq!(
                    image::image_dimensions(&made.cached).expect("a whole PNG"),
                    (made.width, made.height)
                );
            }
        }
        let leftovers: Vec<_> = std::fs::read_dir(root.path().join(CACHE_DIR))
            .expect("cache folder")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".part-"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
}
