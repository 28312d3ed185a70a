//! Images the SFTP methods make: a mount's composite (DownloadSftp with a MountNum) and
//! 100×100 thumbnails (Thumbnails). Plain functions on bytes, so they are tested natively.

use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
use std::io::Cursor;

/// Thumbnails are this many pixels square ("Created thumbnails will be 100 x 100").
pub const THUMBNAIL_SIZE: u32 = 100;

/// Extensions of "standard image files" the sandbox can read and write.
pub fn image_format(extension: &str) -> Option<ImageFormat> {
    match extension.trim_start_matches('.').to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "gif" => Some(ImageFormat::Gif),
        "bmp" => Some(ImageFormat::Bmp),
        _ => None,
    }
}

/// One item of a mount: its image and the rectangle it fills, in mount pixels.
pub struct MountItem {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// The document's file, or `None` for an empty place (no document, or one not imported).
    pub image: Option<Vec<u8>>,
}

/// The mount as one image: a black background (as Open Dental draws mounts) with each item's
/// image fitted into its rectangle, aspect kept and centered, in item order.
pub fn composite(width: u32, height: u32, items: &[MountItem], format: ImageFormat) -> Result<Vec<u8>, String> {
    let mut canvas = RgbaImage::from_pixel(width.max(1), height.max(1), Rgba([0, 0, 0, 255]));
    for item in items {
        let Some(bytes) = &item.image else { continue };
        let Ok(image) = image::load_from_memory(bytes) else {
            continue;
        };
        let fitted = fit(&image, item.width, item.height);
        let x = item.x + (item.width - fitted.width()) / 2;
        let y = item.y + (item.height - fitted.height()) / 2;
        imageops::overlay(&mut canvas, &fitted, x.into(), y.into());
    }
    encode(DynamicImage::ImageRgba8(canvas), format)
}

/// A `THUMBNAIL_SIZE` square: the image fitted inside, aspect kept and centered, on white
/// (transparent for formats that have transparency). `None` if the bytes are not an image.
pub fn thumbnail(bytes: &[u8], format: ImageFormat) -> Option<Vec<u8>> {
    let image = image::load_from_memory(bytes).ok()?;
    let fitted = fit(&image, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    let background = match format {
        ImageFormat::Png | ImageFormat::Gif => Rgba([255, 255, 255, 0]),
        _ => Rgba([255, 255, 255, 255]),
    };
    let mut square = RgbaImage::from_pixel(THUMBNAIL_SIZE, THUMBNAIL_SIZE, background);
    let x = (THUMBNAIL_SIZE - fitted.width()) / 2;
    let y = (THUMBNAIL_SIZE - fitted.height()) / 2;
    imageops::overlay(&mut square, &fitted, x.into(), y.into());
    encode(DynamicImage::ImageRgba8(square), format).ok()
}

/// Scaled (up or down) to fit inside `width`×`height`.
fn fit(image: &DynamicImage, width: u32, height: u32) -> RgbaImage {
    image
        .resize(width.max(1), height.max(1), FilterType::Triangle)
        .to_rgba8()
}

fn encode(image: DynamicImage, format: ImageFormat) -> Result<Vec<u8>, String> {
    // JPEG and BMP have no alpha channel.
    let image = match format {
        ImageFormat::Jpeg | ImageFormat::Bmp => DynamicImage::ImageRgb8(image.to_rgb8()),
        _ => image,
    };
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, format)
        .map_err(|e| format!("could not encode the image: {e}"))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GenericImageView, Rgb, RgbImage};

    fn png(width: u32, height: u32, color: [u8; 3]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(RgbImage::from_pixel(width, height, Rgb(color)))
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(image_format(".JPG"), Some(ImageFormat::Jpeg));
        assert_eq!(image_format("jpeg"), Some(ImageFormat::Jpeg));
        assert_eq!(image_format(".png"), Some(ImageFormat::Png));
        assert_eq!(image_format(".pdf"), None);
        assert_eq!(image_format(""), None);
    }

    #[test]
    fn thumbnails_are_square_with_the_image_centered() {
        let wide = png(400, 200, [200, 0, 0]);
        let thumb = image::load_from_memory(&thumbnail(&wide, ImageFormat::Png).unwrap()).unwrap();
        assert_eq!(thumb.dimensions(), (100, 100));
        // 100×50 of red in the middle, transparent above and below.
        assert_eq!(thumb.get_pixel(50, 50), Rgba([200, 0, 0, 255]));
        assert_eq!(thumb.get_pixel(50, 10)[3], 0);
        let jpeg = thumbnail(&wide, ImageFormat::Jpeg).unwrap();
        assert_eq!(image::guess_format(&jpeg).unwrap(), ImageFormat::Jpeg);
        assert!(thumbnail(b"%PDF-1.4", ImageFormat::Png).is_none());
    }

    #[test]
    fn composites_place_items_in_their_rectangles() {
        let items = [
            MountItem {
                x: 0,
                y: 0,
                width: 50,
                height: 40,
                image: Some(png(100, 80, [255, 0, 0])),
            },
            MountItem {
                x: 60,
                y: 0,
                width: 50,
                height: 40,
                image: Some(png(25, 20, [0, 0, 255])),
            },
            // An empty place stays background.
            MountItem {
                x: 120,
                y: 0,
                width: 50,
                height: 40,
                image: None,
            },
        ];
        let bytes = composite(170, 40, &items, ImageFormat::Png).unwrap();
        let image = image::load_from_memory(&bytes).unwrap();
        assert_eq!(image.dimensions(), (170, 40));
        assert_eq!(image.get_pixel(25, 20), Rgba([255, 0, 0, 255]));
        assert_eq!(image.get_pixel(55, 20), Rgba([0, 0, 0, 255]));
        // Scaled up to fill its 50×40 place.
        assert_eq!(image.get_pixel(62, 2), Rgba([0, 0, 255, 255]));
        assert_eq!(image.get_pixel(145, 20), Rgba([0, 0, 0, 255]));
    }
}
