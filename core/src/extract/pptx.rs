//! PPTX: the text of each slide, slide by slide, each under a `## Slide N` heading.
//! Slides are taken in the order of their part names (`ppt/slides/slide{N}.xml`), the
//! order PowerPoint and LibreOffice write them in.

use super::out::{Budget, Out};
use super::zip::Archive;
use super::{ExtractError, Kind, Limits, xml};

pub(super) fn read(
    archive: &mut Archive<'_>,
    limits: &Limits,
    budget: &Budget,
    out: &mut Out,
) -> Result<(), ExtractError> {
    let mut slides: Vec<(u32, String)> = archive
        .names()
        .filter_map(|name| {
            let number = name
                .strip_prefix("ppt/slides/slide")?
                .strip_suffix(".xml")?;
            Some((number.parse().ok()?, name.to_owned()))
        })
        .collect();
    slides.sort_unstable();
    for (shown, (_, name)) in slides.iter().enumerate() {
        budget.check()?;
        if out.full() {
            break;
        }
        let Some(part) = archive.read(name, budget)? else {
            continue;
        };
        out.page(&format!("Slide {}", shown + 1));
        xml::write_text(&part, Kind::Pptx, limits, budget, out)?;
    }
    Ok(())
}
