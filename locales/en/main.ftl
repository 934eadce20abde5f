# UI strings for the mekong site generator — English.

# Skip link at the very top of every page, for keyboard and screen-reader users.
skip-to-content = Skip to main content

# aria-label of the main navigation bar in the header.
site-navigation = Main navigation

# Main navigation link to the home page.
nav-home = Home

# Main navigation link to the news list.
nav-news = News

# Main navigation link to the "About" page.
nav-about = About us

# aria-label / heading of the language switcher in the header.
language-switcher = Language

# Tooltip (title) of a language link when this page has no version in that language.
# $language: the name of that language in the reader's language (language-name-…).
translation-unavailable = Not available in { $language }

# Visually hidden marker after the current language in the language switcher.
current-language = (current language)

# Link from an article summary to the full article.
read-more = Read more

# Publication date line of an article. $date: the date, already formatted.
published-on = Published { $date }

# Last-updated date line of an article. $date: the date, already formatted.
updated-on = Updated { $date }

# Estimated reading time of an article. $minutes: number of minutes.
reading-time = { $minutes } min read

# Word count of an article. $count: number of words.
word-count =
    { $count ->
        [one] { $count } word
       *[other] { $count } words
    }

# Author line of an article. $authors: author names, already joined into a list.
by-authors = By { $authors }

# Heading of the tag list at the end of an article.
tags = Tags

# Heading of the table of contents of a long article.
table-of-contents = Contents

# Heading of the latest-news list (home page, sidebar).
latest-news = Latest news

# aria-label of the pagination navigation on list pages.
pagination = Pagination

# Pagination link to the previous page of a list.
pagination-previous = Previous page

# Pagination link to the next page of a list.
pagination-next = Next page

# Current position in a paginated list. $current: page number; $total: number of pages.
pagination-status = Page { $current } of { $total }

# Shown on a list page that has no articles.
no-articles = There are no articles yet.

# Title and heading of the 404 page.
page-not-found-title = Page not found

# Body text of the 404 page.
page-not-found-body = The page you are looking for does not exist or has moved. Try the home page or the news list.

# Text on a redirect page (old URL), followed by a link to the new address.
redirect-notice = This page has moved. If you are not redirected, follow this link:

# One-line description of the site in the footer.
footer-about = Official news portal of the Đắk Nông Department of Foreign Affairs

# Heading of the contact block in the footer.
footer-contact = Contact

# Copyright line in the footer. $year: the current year.
footer-copyright = © { $year } Đắk Nông Department of Foreign Affairs

# Link at the bottom of the page that scrolls back to the top.
back-to-top = Back to top

# Shown above an article that is not translated into the page's language; $language is that language's name
untranslated-notice = This article has not been translated into { $language } yet. The original text is shown below.

# Heading of the list of monthly archives on a section page
archives = Archives

# Name of a taxonomy, as a heading on articles and on its list pages
taxonomy-tags = Tags
taxonomy-categories = Categories

# Preview server: heading of the overlay shown when a change breaks the site
preview-error-title = The site could not be rebuilt
# Preview server: the line under that heading
preview-error-hint = Fix the problem below and save the file: this page updates by itself. Until then the preview shows the last good version.

# Search page: heading and page title
search-title = Search
# Search page: label of the search box
search-label = Search the news and pages
search-button = Search
search-all-languages = Search in all languages
# Search page: how many results. Every plural form is written into the page at build time and
# the browser picks one for the count (with { $count } in the page's digits).
search-count = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-none = Nothing found. Try other words, or fewer of them.
search-failed = The search index could not be loaded. Please try again.
search-needs-javascript = Search needs JavaScript. You can still browse the news by section, tag and month.

# Tourism routes: heading of the itinerary and map
route-itinerary = Itinerary
# Caption of a route map; $stops is a count, $km is already formatted
route-map-caption = Map of the route: { $stops } stops, { $km } km as the crow flies between stops
route-stop = Stop
route-place = Place
route-leg = From the previous stop
route-from-start = From the start
route-total = Total
# A distance; $km is already formatted
route-km = { $km } km
route-download = Download the route (GeoJSON, for map apps)

# Heading of the list of articles sharing tags with this one
related-articles = Related articles
# Where an article comes from; $source is a name
source-line = Source: { $source }

# Footer links to the feeds of the current language
footer-feed-atom = News feed (Atom)
footer-feed-rss = News feed (RSS)

# Main navigation: the tourism routes
nav-routes = Tourism routes

# Label read out for a footnote's back-link (the ↩ after the note); $number is the footnote's
# number, or "1-2" for the second place that cites footnote 1.
footnote-back = Back to reference { $number }
# Label read out for a heading's anchor link (the 🔗 that `insert_anchor_links` adds); $id is
# the heading's id.
anchor-link-label = Anchor link for: { $id }

# Visually hidden text after "Read more", naming the article for screen-reader users.
read-more-context = : { $title }

# How many articles a tag or month has, after its name in a list.
count-in-list = ({ $count })

# Page title of a monthly or yearly archive: the section, then the period.
archive-title = { $section }: { $period }

# Between the names of several authors.
list-separator = {", "}

# Names of the site's languages in this language (the language switcher's tooltips and the
# untranslated-article notice).
language-name-vi = Vietnamese
language-name-en = English
language-name-km = Khmer

# aria-label of the side column (tags, related articles, archives): beside the page on wide
# screens, after it on phones.
aside-label = See also
