# ខ្សែអក្សរចំណុចប្រទាក់របស់ mekong — ភាសាខ្មែរ។

skip-to-content = រំលងទៅខ្លឹមសារចម្បង
site-navigation = ម៉ឺនុយចម្បង
nav-home = ទំព័រដើម
nav-news = ព័ត៌មាន
nav-about = អំពីយើង
language-switcher = ភាសា
translation-unavailable = ទំព័រនេះមិនទាន់មានជា{ $language }នៅឡើយទេ
current-language = (ភាសាបច្ចុប្បន្ន)
read-more = អានបន្ត
published-on = ចុះផ្សាយ៖ { $date }
updated-on = កែសម្រួលចុងក្រោយ៖ { $date }
reading-time = រយៈពេលអាន { $minutes } នាទី
word-count = { $count } ពាក្យ
by-authors = ដោយ { $authors }
tags = ស្លាក
table-of-contents = មាតិកា
latest-news = ព័ត៌មានថ្មីៗ
pagination = ការរុករកទំព័រ
pagination-previous = ទំព័រមុន
pagination-next = ទំព័របន្ទាប់
pagination-status = ទំព័រទី { $current } នៃ { $total }
no-articles = មិនទាន់មានអត្ថបទនៅឡើយទេ។
page-not-found-title = រកមិនឃើញទំព័រ
page-not-found-body = ទំព័រដែលលោកអ្នកកំពុងស្វែងរកមិនមានទេ ឬត្រូវបានប្ដូរទីតាំងហើយ។ សូមសាកល្បងចូលទៅកាន់ទំព័រដើម ឬបញ្ជីព័ត៌មាន។
redirect-notice = ទំព័រនេះត្រូវបានប្ដូរទីតាំងហើយ។ ប្រសិនបើទំព័រថ្មីមិនបើកដោយស្វ័យប្រវត្តិទេ សូមចុចតំណភ្ជាប់នេះ៖
footer-about = គេហទំព័រព័ត៌មានផ្លូវការរបស់មន្ទីរការបរទេសខេត្តដាក់ណុង
footer-contact = ទំនាក់ទំនង
footer-copyright = រក្សាសិទ្ធិ © { $year } មន្ទីរការបរទេសខេត្តដាក់ណុង
back-to-top = ត្រឡប់ទៅខាងលើ

untranslated-notice = អត្ថបទនេះមិនទាន់បានបកប្រែជា{ $language }នៅឡើយទេ។ ខាងក្រោមនេះជាអត្ថបទដើម។

archives = បណ្ណសារ

taxonomy-tags = ស្លាក
taxonomy-categories = ប្រភេទព័ត៌មាន

preview-error-title = មិនអាចបង្កើតគេហទំព័រឡើងវិញបានទេ
preview-error-hint = សូមកែបញ្ហាខាងក្រោម រួចរក្សាទុកឯកសារ៖ ទំព័រនេះនឹងធ្វើបច្ចុប្បន្នភាពដោយខ្លួនឯង។ ក្នុងពេលរង់ចាំ ការមើលជាមុននៅតែបង្ហាញកំណែត្រឹមត្រូវចុងក្រោយ។

search-title = ស្វែងរក
search-label = ស្វែងរកក្នុងព័ត៌មាន និងទំព័រនានា
search-button = ស្វែងរក
search-all-languages = ស្វែងរកគ្រប់ភាសា
search-count = លទ្ធផល { $count }
search-none = រកមិនឃើញទេ។ សូមសាកល្បងពាក្យផ្សេង ឬប្រើពាក្យតិចជាងនេះ។
search-failed = មិនអាចផ្ទុកទិន្នន័យស្វែងរកបានទេ។ សូមព្យាយាមម្ដងទៀត។
search-needs-javascript = ការស្វែងរកត្រូវការ JavaScript។ លោកអ្នកនៅតែអាចអានព័ត៌មានតាមផ្នែក ស្លាក និងខែបាន។

route-itinerary = កាលវិភាគដំណើរ
route-map-caption = ផែនទីផ្លូវ៖ ចំណុចឈប់ចំនួន { $stops } ចម្ងាយ { $km } គីឡូម៉ែត្រ គិតជាបន្ទាត់ត្រង់រវាងចំណុចឈប់នីមួយៗ
route-stop = ចំណុចឈប់
route-place = ទីកន្លែង
route-leg = ពីចំណុចឈប់មុន
route-from-start = ពីចំណុចចាប់ផ្ដើម
route-total = សរុប
route-km = { $km } គីឡូម៉ែត្រ
route-download = ទាញយកផ្លូវ (GeoJSON សម្រាប់កម្មវិធីផែនទី)

related-articles = អត្ថបទពាក់ព័ន្ធ
source-line = ប្រភព៖ { $source }

footer-feed-atom = ព័ត៌មានតាម Atom
footer-feed-rss = ព័ត៌មានតាម RSS

nav-routes = ខ្សែទេសចរណ៍

footnote-back = ត្រឡប់ទៅកន្លែងយោងលេខ{ $number }
anchor-link-label = តំណទៅផ្នែក៖ { $id }
read-more-context = ៖ { $title }
count-in-list = ({ $count })
archive-title = { $section }៖ { $period }
list-separator = {" "}

language-name-vi = ភាសាវៀតណាម
language-name-en = ភាសាអង់គ្លេស
language-name-km = ភាសាខ្មែរ
aside-label = មើលផងដែរ
