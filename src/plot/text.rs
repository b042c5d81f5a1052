//! Text on the bitmap: a plotters backend that wraps the bitmap backend and draws every string
//! itself with `ab_glyph` from the embedded DejaVu Sans, each glyph at its fractional pen
//! position with kerning (plotters' own ab_glyph text drops the glyphs' side bearings, which
//! spaces letters unevenly). Boxes are one line high (ascent − descent, the same for every
//! string), so labels of one size share a baseline whatever their letters.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont};
use plotters::prelude::{BitMapBackend, DrawingBackend};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use crate::error::{Error, Result};

/// DejaVu Sans from the `dejavu` crate, parsed once.
pub(super) fn font() -> Result<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(dejavu::sans::regular()).ok())
        .as_ref()
        .ok_or_else(|| Error::run("the embedded DejaVu Sans font could not be parsed"))
}

/// A string laid out on one line: glyphs positioned from the top left of its box.
struct Line {
    glyphs: Vec<Glyph>,
    width: f32,
    height: f32,
}

/// Lay out `text` at `size_px` pixels per em.
fn layout(font: &FontRef<'static>, size_px: f64, text: &str) -> Line {
    let upem = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from(size_px as f32 * font.height_unscaled() / upem);
    let sf = font.as_scaled(scale);
    let mut glyphs = Vec::with_capacity(text.len());
    let mut x = 0.0;
    let mut prev = None;
    for ch in text.chars() {
        let id = sf.glyph_id(ch);
        if let Some(p) = prev {
            x += sf.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(scale, ab_glyph::point(x, sf.ascent())));
        x += sf.h_advance(id);
        prev = Some(id);
    }
    Line {
        glyphs,
        width: x,
        height: sf.ascent() - sf.descent(),
    }
}

/// The bitmap backend with our text.
pub(super) struct TextBackend<'a> {
    inner: BitMapBackend<'a>,
    font: &'static FontRef<'static>,
}

impl<'a> TextBackend<'a> {
    pub(super) fn new(inner: BitMapBackend<'a>, font: &'static FontRef<'static>) -> Self {
        TextBackend { inner, font }
    }
}

type Drawn<E> = std::result::Result<(), DrawingErrorKind<E>>;

impl DrawingBackend for TextBackend<'_> {
    type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn<Self::ErrorType> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Drawn<Self::ErrorType> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<Self::ErrorType> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<Self::ErrorType> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Drawn<Self::ErrorType> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Drawn<Self::ErrorType> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let line = layout(self.font, style.size(), text);
        let (w, h) = (line.width.ceil() as i32, line.height.ceil() as i32);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Center => -w / 2,
            HPos::Right => -w,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let trans = style.transform();
        let (width, height) = self.get_size();
        let mut result = Ok(());
        for g in line.glyphs {
            let Some(outline) = self.font.outline_glyph(g) else {
                continue;
            };
            let b = outline.px_bounds();
            outline.draw(|gx, gy, cov| {
                let (lx, ly) = (
                    b.min.x as i32 + gx as i32 + dx,
                    b.min.y as i32 + gy as i32 + dy,
                );
                let (tx, ty) = trans.transform(lx, ly);
                let (x, y) = (pos.0 + tx, pos.1 + ty);
                let inside = x >= 0 && y >= 0 && (x as u32) < width && (y as u32) < height;
                if inside && cov > 0.0 && result.is_ok() {
                    let c = BackendColor {
                        alpha: color.alpha * cov.min(1.0) as f64,
                        rgb: color.rgb,
                    };
                    result = self.inner.draw_pixel((x, y), c);
                }
            });
        }
        result
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let line = layout(self.font, style.size(), text);
        Ok((line.width.ceil() as u32, line.height.ceil() as u32))
    }
}
