//! The PDF writer: draws a [`Document`] with printpdf 0.12 (fonts embedded as subsets of
//! the document's glyphs, Identity-H with ToUnicode so text can be extracted; dictionaries
//! in compressed object streams, PDF 1.5), deterministically.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDateTime;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextMatrix, WindingOrder,
};

use crate::error::PrintError;
use crate::fonts::Fonts;
use crate::model::{Direction, Document, Item, MM_PER_PT, Rgb};

/// Options of [`render_pdf`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfOptions {
    /// Creation/modification date written in the PDF; `None` → now (UTC). Fix it to get the
    /// same bytes for the same document.
    pub creation_date: Option<NaiveDateTime>,
    /// Author (e.g. the issuing office).
    pub author: String,
}

fn pt(mm: f32) -> Pt {
    Pt(mm / MM_PER_PT)
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: f32::from(c.0) / 255.0,
        g: f32::from(c.1) / 255.0,
        b: f32::from(c.2) / 255.0,
        icc_profile: None,
    })
}

/// The subset tag / resource name of face `i`: six capital letters, derived from the index
/// so the output does not depend on anything random.
fn font_id(i: usize) -> FontId {
    let mut tag = String::from("AWD");
    let mut n = i;
    for _ in 0..3 {
        tag.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    FontId(tag)
}

/// Renders `doc` to PDF bytes. Same document, fonts and options → same bytes.
pub fn render_pdf(doc: &Document, fonts: &Fonts, opts: &PdfOptions) -> Result<Vec<u8>, PrintError> {
    let mut pdf = PdfDocument::new(&doc.title);
    // The characters each face prints: printpdf gets each face already reduced to them.
    let mut chars: BTreeMap<usize, BTreeSet<char>> = BTreeMap::new();
    for t in doc.pages.iter().flat_map(|p| p.texts()) {
        chars.entry(t.face).or_default().extend(t.text.chars());
    }
    for (i, used) in chars {
        let face = fonts
            .face(i)
            .ok_or_else(|| PrintError::Pdf(format!("文档引用的字体 {i} 不在当前字体集中")))?;
        let parsed = face.pdf_subset(used)?;
        pdf.resources
            .fonts
            .map
            .insert(font_id(i), printpdf::PdfFont::new(parsed));
    }
    let when = opts
        .creation_date
        .unwrap_or_else(|| chrono::Utc::now().naive_utc());
    let stamp = printpdf::OffsetDateTime::from_unix_timestamp(when.and_utc().timestamp())
        .map_err(|e| PrintError::Pdf(e.to_owned()))?;
    let info = &mut pdf.metadata.info;
    info.creation_date = stamp;
    info.modification_date = stamp;
    info.metadata_date = stamp;
    info.author = opts.author.clone();
    info.creator = "安委办专项整治工作台 Anwei Desk".to_owned();
    info.producer = format!("anwei-print {} (printpdf 0.12)", env!("CARGO_PKG_VERSION"));
    info.subject = format!("字体：{}", doc.faces_summary());
    info.keywords = doc
        .used_faces()
        .into_iter()
        .filter_map(|i| doc.faces.get(i))
        .map(|f| format!("{}={}", f.role.label_zh(), f.family))
        .collect();

    let pages: Vec<PdfPage> = doc.pages.iter().map(page_ops).collect();
    pdf.pages = pages;

    let save = PdfSaveOptions {
        optimize: true,
        // The faces come reduced to the document's glyphs (`Face::pdf_subset`); printpdf's
        // own pass over so small a face is cheap, and it names the subsets ("AWDAAA+…").
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&save, &mut warnings);
    // printpdf draws the trailer /ID from a process-wide counter; derive it from the
    // content instead so the same document gives the same bytes.
    let id = content_id(doc, opts);
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone().into_bytes(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal),
        ]),
    );
    compress_streams(&mut lo);
    // Dictionaries (font widths, page trees) compressed too: object and xref streams.
    lo.version = "1.5".to_owned();
    let mut out = Vec::new();
    lo.save_modern(&mut out)
        .map_err(|e| PrintError::Pdf(e.to_string()))?;
    Ok(out)
}

/// Deflates every stream that allows it and is not filtered yet (content streams, the
/// faces' subsets), as lopdf's `Document::compress` does but at zlib's default level (6)
/// rather than its best (9). Measured by `cargo bench -p anwei-print --bench print` on the
/// reform table (zlib-rs): level 9 took 34.3 ms for 253.4 KB, level 6 23.5 ms for 250.7 KB
/// (smaller too), level 2 20.8 ms for 258.4 KB.
fn compress_streams(lo: &mut lopdf::Document) {
    use std::io::Write;
    const LEVEL: u32 = 6;
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(LEVEL));
            let Ok(compressed) = encoder
                .write_all(&stream.content)
                .and_then(|()| encoder.finish())
            else {
                continue;
            };
            if compressed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
}

/// The page's drawing operators. Consecutive texts share one text object, and the fill
/// and stroke colour, line width and font are set only when they change (graphics and text
/// state outlive a text object): fewer bytes for the same marks.
fn page_ops(page: &crate::model::Page) -> PdfPage {
    let h = page.height;
    let mut ops = Vec::with_capacity(page.items.len() * 3);
    let mut fill: Option<Rgb> = None;
    let mut stroke: Option<(Rgb, f32)> = None;
    let mut font: Option<(usize, f32)> = None;
    let mut in_text = false;
    let mut set_stroke = |ops: &mut Vec<Op>, c: Rgb, w: f32| {
        if stroke.is_none_or(|s| s.0 != c) {
            ops.push(Op::SetOutlineColor { col: color(c) });
        }
        if stroke.is_none_or(|s| s.1 != w) {
            ops.push(Op::SetOutlineThickness { pt: Pt(w) });
        }
        stroke = Some((c, w));
    };
    for item in &page.items {
        if in_text && !matches!(item, Item::Text(_)) {
            ops.push(Op::EndTextSection);
            in_text = false;
        }
        match item {
            Item::Text(t) => {
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                }
                if fill != Some(t.color) {
                    ops.push(Op::SetFillColor {
                        col: color(t.color),
                    });
                    fill = Some(t.color);
                }
                if font != Some((t.face, t.size_pt)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(font_id(t.face)),
                        size: Pt(t.size_pt),
                    });
                    font = Some((t.face, t.size_pt));
                }
                let (x, y) = (pt(t.x).0, pt(h - t.y).0);
                let matrix = match t.direction {
                    Direction::Upright => TextMatrix::Translate(Pt(x), Pt(y)),
                    // The text's x axis down the page, its y axis (the glyphs' up) to the right.
                    Direction::Clockwise => TextMatrix::Raw([0.0, -1.0, 1.0, 0.0, x, y]),
                };
                ops.push(Op::SetTextMatrix { matrix });
                ops.push(Op::ShowText {
                    items: vec![printpdf::TextItem::Text(t.text.clone())],
                });
            }
            Item::Line(l) => {
                set_stroke(&mut ops, l.color, l.width_pt);
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: Point {
                                    x: pt(l.x1),
                                    y: pt(h - l.y1),
                                },
                                bezier: false,
                            },
                            LinePoint {
                                p: Point {
                                    x: pt(l.x2),
                                    y: pt(h - l.y2),
                                },
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Rect(r) => {
                let mode = match (r.fill, r.stroke_pt) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    _ => PaintMode::Stroke,
                };
                if let Some(f) = r.fill
                    && fill != Some(f)
                {
                    ops.push(Op::SetFillColor { col: color(f) });
                    fill = Some(f);
                }
                set_stroke(&mut ops, r.color, r.stroke_pt.unwrap_or(0.0));
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: pt(r.x),
                        y: pt(h - r.y - r.h),
                        width: pt(r.w),
                        height: pt(r.h),
                        mode: Some(mode),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    PdfPage::new(Mm(page.width), Mm(h), ops)
}

/// A 128-bit FNV-1a hash of the document's content and the options, as hex.
fn content_id(doc: &Document, opts: &PdfOptions) -> String {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u128::from(*b);
            h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
        }
    };
    feed(doc.title.as_bytes());
    for p in &doc.pages {
        feed(&p.width.to_le_bytes());
        for item in &p.items {
            match item {
                Item::Text(t) => {
                    feed(&t.x.to_le_bytes());
                    feed(&t.y.to_le_bytes());
                    if t.direction != Direction::Upright {
                        feed(&[t.direction as u8]);
                    }
                    feed(t.text.as_bytes());
                }
                Item::Line(l) => {
                    for v in [l.x1, l.y1, l.x2, l.y2] {
                        feed(&v.to_le_bytes());
                    }
                }
                Item::Rect(r) => {
                    for v in [r.x, r.y, r.w, r.h] {
                        feed(&v.to_le_bytes());
                    }
                }
            }
        }
    }
    if let Some(d) = opts.creation_date {
        feed(d.to_string().as_bytes());
    }
    format!("{h:032x}")
}

/// Writes `bytes` to `path` atomically ([`anwei_files`]): a reader never sees a
/// half-written PDF. A printed document is an ordinary file, readable like any other the
/// user saves.
pub fn write_pdf_file(path: &Path, bytes: &[u8]) -> Result<(), PrintError> {
    anwei_files::AtomicWrite::new(path)
        .readable_by_all()
        .write(bytes)?;
    Ok(())
}
