//! The words of a new site in each language mekong speaks: site name, home page, news section
//! and the example article, written by hand for readers (Khmer without ASCII digits).

/// What `mekong init` writes in one language.
pub(crate) struct SiteTexts {
    pub(crate) site_title: &'static str,
    pub(crate) site_description: &'static str,
    pub(crate) home_body: &'static str,
    pub(crate) news_title: &'static str,
    pub(crate) news_description: &'static str,
    pub(crate) news_body: &'static str,
    /// The example article's file name when this is the default language.
    pub(crate) article_slug: &'static str,
    pub(crate) article_title: &'static str,
    pub(crate) article_description: &'static str,
    pub(crate) article_author: &'static str,
    /// Up to `<!-- more -->` and the list of what readers find.
    pub(crate) article_body: &'static str,
    /// The paragraph about the language switcher, when the site has more than one language.
    pub(crate) article_languages: &'static str,
    /// The last line, with `{news}` where the link to the news section goes.
    pub(crate) article_closing: &'static str,
    /// The example tag, as a writer of this language types it.
    pub(crate) tag: &'static str,
}

/// The texts of language `code`, when mekong has them.
pub(crate) fn site_texts(code: &str) -> Option<&'static SiteTexts> {
    match code {
        "vi" => Some(&VI),
        "en" => Some(&EN),
        "km" => Some(&KM),
        _ => None,
    }
}

const VI: SiteTexts = SiteTexts {
    site_title: "Trang thông tin điện tử",
    site_description: "Tin tức, thông báo và hoạt động của cơ quan",
    home_body: "Chào mừng bạn đọc đến với trang thông tin điện tử của chúng tôi. Tại đây, \
chúng tôi thường xuyên cập nhật tin tức, thông báo và các hoạt động mới nhất của cơ quan.",
    news_title: "Tin tức",
    news_description: "Tin tức, sự kiện và thông báo mới nhất của cơ quan.",
    news_body: "Các bài viết được sắp xếp theo thời gian đăng, tin mới nhất hiển thị trước.",
    article_slug: "ra-mat-trang-thong-tin",
    article_title: "Trang thông tin điện tử chính thức đi vào hoạt động",
    article_description: "Trang thông tin điện tử mới của cơ quan chuyển tải tin tức, thông báo và \
thông tin hoạt động đến bạn đọc trong và ngoài nước.",
    article_author: "Ban biên tập",
    article_body: "Kể từ hôm nay, trang thông tin điện tử của cơ quan chính thức đi vào hoạt động. Đây là \
kênh để bạn đọc trong và ngoài nước theo dõi tin tức, thông báo và các hoạt động của cơ quan một \
cách nhanh chóng, chính xác.

<!-- more -->

## Bạn đọc sẽ tìm thấy gì

- Tin tức về các hoạt động, sự kiện của cơ quan;
- Thông báo, văn bản và hướng dẫn thủ tục;
- Thông tin giới thiệu và cách liên hệ với cơ quan.",
    article_languages: "## Đọc bằng ngôn ngữ của bạn

Bài viết có thể được xem bằng các ngôn ngữ khác; vui lòng chọn ngôn ngữ ở đầu trang.",
    article_closing: "Mời bạn đọc xem các bài viết mới nhất trong mục {news}.",
    tag: "thông báo",
};

/// English, also the starting text of languages mekong has no texts in.
pub(crate) const EN: SiteTexts = SiteTexts {
    site_title: "Official website",
    site_description: "News, announcements and activities of the office",
    home_body: "Welcome to our website. Here we publish the office's latest news, announcements \
and activities.",
    news_title: "News",
    news_description: "The office's latest news, events and announcements.",
    news_body: "Articles are listed by date, newest first.",
    article_slug: "our-new-website",
    article_title: "Our new website is online",
    article_description: "The new website brings the office's news, announcements and activities to \
readers at home and abroad.",
    article_author: "Editorial team",
    article_body: "The office's official website goes online today. It is where readers at home and \
abroad can follow the office's news, announcements and activities, quickly and accurately.

<!-- more -->

## What you will find here

- News of the office's activities and events;
- Announcements, documents and guidance on procedures;
- What the office does, and how to contact it.",
    article_languages: "## Read in your language

Each article can be read in other languages: choose one at the top of the page.",
    article_closing: "The latest articles are in the {news} section.",
    tag: "announcements",
};

const KM: SiteTexts = SiteTexts {
    site_title: "គេហទំព័រព័ត៌មានផ្លូវការ",
    site_description: "ព័ត៌មាន សេចក្ដីជូនដំណឹង និងសកម្មភាពរបស់ស្ថាប័ន",
    home_body: "សូមស្វាគមន៍ប្រិយមិត្តអ្នកអានមកកាន់គេហទំព័ររបស់យើងខ្ញុំ។ នៅទីនេះ \
យើងខ្ញុំផ្ដល់ជូនជាប្រចាំនូវព័ត៌មាន សេចក្ដីជូនដំណឹង និងសកម្មភាពថ្មីៗរបស់ស្ថាប័ន។",
    news_title: "ព័ត៌មាន",
    news_description: "ព័ត៌មាន ព្រឹត្តិការណ៍ និងសេចក្ដីជូនដំណឹងថ្មីៗរបស់ស្ថាប័ន។",
    news_body: "អត្ថបទត្រូវបានតម្រៀបតាមកាលបរិច្ឆេទចុះផ្សាយ ដោយអត្ថបទថ្មីបំផុតនៅខាងលើ។",
    // Khmer is never transliterated into URLs: a Khmer-first site gets an English file name.
    article_slug: "our-new-website",
    article_title: "គេហទំព័រព័ត៌មានផ្លូវការ ដាក់ឱ្យដំណើរការជាផ្លូវការ",
    article_description: "គេហទំព័រថ្មីនេះ ផ្ដល់ព័ត៌មាន សេចក្ដីជូនដំណឹង និងសកម្មភាពរបស់ស្ថាប័ន \
ជូនប្រិយមិត្តអ្នកអានទាំងក្នុង និងក្រៅប្រទេស។",
    article_author: "ក្រុមនិពន្ធ",
    article_body: "ចាប់ពីថ្ងៃនេះតទៅ គេហទំព័រផ្លូវការរបស់ស្ថាប័នចាប់ផ្ដើមដំណើរការជាផ្លូវការ។ \
នេះគឺជាបណ្ដាញមួយដែលប្រិយមិត្តអ្នកអានទាំងក្នុង និងក្រៅប្រទេស អាចតាមដានព័ត៌មាន \
សេចក្ដីជូនដំណឹង និងសកម្មភាពនានារបស់ស្ថាប័នបានយ៉ាងឆាប់រហ័ស និងត្រឹមត្រូវ។

<!-- more -->

## អ្វីដែលលោកអ្នកនឹងរកឃើញនៅទីនេះ

- ព័ត៌មានអំពីសកម្មភាព និងព្រឹត្តិការណ៍នានារបស់ស្ថាប័ន
- សេចក្ដីជូនដំណឹង ឯកសារ និងការណែនាំអំពីនីតិវិធីរដ្ឋបាល
- ព័ត៌មានអំពីស្ថាប័ន និងរបៀបទាក់ទងមកយើងខ្ញុំ",
    article_languages: "## អានជាភាសារបស់លោកអ្នក

អត្ថបទនីមួយៗអាចអានជាភាសាផ្សេងទៀតបាន ដោយជ្រើសរើសភាសានៅផ្នែកខាងលើនៃទំព័រ។",
    article_closing: "សូមអានអត្ថបទថ្មីៗនៅក្នុងផ្នែក{news}។",
    tag: "សេចក្ដីជូនដំណឹង",
};
