//! The template values of pages (and of a Zola site's taxonomies), kept across rebuilds.

use super::*;

/// A page's template values: the whole page, and the page as lists show it.
#[derive(Clone)]
pub(super) struct PageValues {
    /// Hash of the view the values were made from; it also stands for the page value's own.
    pub(super) page_hash: u64,
    pub(super) page: Value,
    pub(super) list: Value,
    pub(super) list_hash: u64,
}

/// The template values of every page, in page order. A page whose view hashes as before keeps
/// its values (shared, not copied), and with them their hashes, which the job fingerprints use.
/// With `changed_texts` (the content is the last build's with only these pages' texts
/// changed), every other page keeps its values without its view being made again: a view
/// shows other pages only by title and path, which did not change.
pub(super) fn page_values(
    config: &Config,
    content: &Content,
    dialect: Dialect,
    cache: &mut HashMap<String, PageValues>,
    retain: bool,
    changed_texts: Option<&TextChanges>,
) -> Vec<PageValues> {
    let previous = std::mem::take(cache);
    let values: Vec<PageValues> = (0..content.pages.len() as u32)
        .into_par_iter()
        .map(|i| {
            if changed_texts.is_some_and(|changed| !changed.has_page(PageId(i)))
                && let Some(known) = previous.get(&content.page(PageId(i)).path)
            {
                return known.clone();
            }
            let known = previous.get(&content.page(PageId(i)).path);
            if dialect.is_zola() {
                PageValues::of(
                    &zola::page_view(config, content, PageId(i)),
                    zola::list_value,
                    known,
                )
            } else {
                PageValues::of(
                    &views::page_view(config, content, PageId(i)),
                    views::list_value,
                    known,
                )
            }
        })
        .collect();
    if retain {
        *cache = content
            .pages
            .iter()
            .zip(&values)
            .map(|(page, values)| (page.path.clone(), values.clone()))
            .collect();
    }
    values
}

/// For a Zola site's templates: each taxonomy (in one language) with its terms, as
/// `get_taxonomy` returns it, and the terms as `get_taxonomy_term` returns them.
pub(super) fn zola_taxonomies(
    config: &Config,
    content: &Content,
    list_values: &[Value],
) -> Vec<TaxonomyValues> {
    (0..content.taxonomies.len())
        .map(|index| {
            let terms: Vec<Value> = (0..content.taxonomies[index].terms.len())
                .map(|term| zola::term_value(config, content, index, term, list_values))
                .collect();
            TaxonomyValues {
                whole: zola::taxonomy_value(config, content, index, &terms),
                kind: zola::taxonomy_config_value(config, content, index),
                terms,
            }
        })
        .collect()
}

impl PageValues {
    /// The values of a page's `view`, or the `known` ones when the view hashes as before.
    fn of(
        view: &impl serde::Serialize,
        list_value: fn(&Value) -> Value,
        known: Option<&PageValues>,
    ) -> PageValues {
        let page_hash = views::view_hash(view);
        if let Some(known) = known
            && known.page_hash == page_hash
        {
            return known.clone();
        }
        let page = Value::from_serializable(view);
        let list = list_value(&page);
        PageValues {
            page_hash,
            list_hash: crate::render::deps::ValueHashes::structural(&list),
            page,
            list,
        }
    }
}
