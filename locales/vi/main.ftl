# Chuỗi giao diện của trình tạo trang mekong — tiếng Việt.

skip-to-content = Chuyển đến nội dung chính
site-navigation = Điều hướng chính
nav-home = Trang chủ
nav-news = Tin tức
nav-about = Giới thiệu
language-switcher = Ngôn ngữ
translation-unavailable = Chưa có bản { $language }
current-language = (ngôn ngữ hiện tại)
read-more = Xem tiếp
published-on = Đăng ngày { $date }
updated-on = Cập nhật { $date }
reading-time = { $minutes } phút đọc
word-count = { $count } từ
by-authors = Tác giả: { $authors }
tags = Từ khóa
table-of-contents = Mục lục
latest-news = Tin mới nhất
pagination = Phân trang
pagination-previous = Trang trước
pagination-next = Trang sau
pagination-status = Trang { $current }/{ $total }
no-articles = Chưa có bài viết nào.
page-not-found-title = Không tìm thấy trang
page-not-found-body = Trang bạn tìm không tồn tại hoặc đã được chuyển sang địa chỉ khác. Vui lòng quay về trang chủ hoặc xem danh sách tin tức.
redirect-notice = Trang này đã được chuyển sang địa chỉ mới. Nếu không được tự động chuyển tiếp, vui lòng truy cập liên kết sau:
footer-about = Trang thông tin điện tử chính thức của Sở Ngoại vụ tỉnh Đắk Nông
footer-contact = Liên hệ
footer-copyright = © { $year } Sở Ngoại vụ tỉnh Đắk Nông
back-to-top = Lên đầu trang

untranslated-notice = Bài viết này chưa được dịch sang { $language }. Dưới đây là nguyên văn.

archives = Lưu trữ

taxonomy-tags = Từ khóa
taxonomy-categories = Chuyên mục

preview-error-title = Không thể dựng lại trang
preview-error-hint = Hãy sửa lỗi dưới đây rồi lưu tệp: trang này sẽ tự cập nhật. Trong lúc chờ, bản xem trước vẫn hiển thị phiên bản đúng gần nhất.

search-title = Tìm kiếm
search-label = Tìm trong tin tức và các trang
search-button = Tìm
search-all-languages = Tìm ở mọi ngôn ngữ
search-count = { $count } kết quả
search-none = Không tìm thấy kết quả. Hãy thử từ khóa khác hoặc bớt từ.
search-failed = Không tải được dữ liệu tìm kiếm. Vui lòng thử lại.
search-needs-javascript = Chức năng tìm kiếm cần JavaScript. Bạn vẫn có thể xem tin theo chuyên mục, từ khóa và tháng.

route-itinerary = Lịch trình
route-map-caption = Bản đồ tuyến: { $stops } điểm dừng, { $km } km tính theo đường chim bay giữa các điểm
route-stop = Điểm
route-place = Địa danh
route-leg = Từ điểm trước
route-from-start = Từ điểm xuất phát
route-total = Tổng cộng
route-km = { $km } km
route-download = Tải tuyến đường (GeoJSON, dùng cho ứng dụng bản đồ)

related-articles = Bài viết liên quan
source-line = Nguồn: { $source }

footer-feed-atom = Kênh tin (Atom)
footer-feed-rss = Kênh tin (RSS)

nav-routes = Tuyến du lịch

footnote-back = Quay lại chỗ dẫn chú thích { $number }
anchor-link-label = Liên kết tới mục: { $id }
read-more-context = : { $title }
count-in-list = ({ $count })
archive-title = { $section }: { $period }
list-separator = {", "}

language-name-vi = tiếng Việt
language-name-en = tiếng Anh
language-name-km = tiếng Khmer
aside-label = Xem thêm
