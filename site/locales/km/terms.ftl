# ឈ្មោះស្លាក និងប្រភេទអត្ថបទជាភាសាខ្មែរ។
# Display names of taxonomy terms in Khmer. Message ids are `<taxonomy>-<slug of the
# Vietnamese term>`; the terms themselves are set once, in the Vietnamese article.

## Tags

tags-bien-gioi = ព្រំដែន
tags-campuchia = កម្ពុជា
tags-cua-khau = ច្រកព្រំដែន
tags-dai-hoi-xi = មហាសន្និបាតបក្សលើកទី១១
tags-dau-tu-nuoc-ngoai = វិនិយោគបរទេស
tags-doi-ngoai = កិច្ចការបរទេស
tags-doi-ngoai-nhan-dan = ការទូតប្រជាជន
tags-giao-luu-van-hoa = ការផ្លាស់ប្ដូរវប្បធម៌
tags-hoi-nhap-quoc-te = សមាហរណកម្មអន្តរជាតិ
tags-hop-tac-bien-gioi = កិច្ចសហប្រតិបត្តិការព្រំដែន
tags-lao-dong-ngoai-nuoc = ពលករធ្វើការនៅបរទេស
tags-mondulkiri = មណ្ឌលគិរី
tags-ngoai-vu-dia-phuong = ការងារការបរទេសថ្នាក់ខេត្ត
tags-nguoi-viet-nam-o-nuoc-ngoai = អាណិកជនវៀតណាមនៅបរទេស
tags-oda = ជំនួយ ODA
tags-phan-gioi-cam-moc = ការខណ្ឌសីមា និងបោះបង្គោលព្រំដែន
tags-the-thao = កីឡា
tags-vien-tro-phi-chinh-phu = ជំនួយពីអង្គការមិនមែនរដ្ឋាភិបាល
tags-xuat-khau = ការនាំចេញ
tags-y-te = សុខាភិបាល

## Categories

categories-dau-tu-va-thuong-mai = វិនិយោគ និងពាណិជ្ជកម្ម
categories-hop-tac-bien-gioi = កិច្ចសហប្រតិបត្តិការព្រំដែន
categories-tin-doi-ngoai = ព័ត៌មានការបរទេស
categories-van-hoa-va-giao-luu-nhan-dan = វប្បធម៌ និងការផ្លាស់ប្ដូររវាងប្រជាជន
