# Display names of taxonomy terms in English.
# Message ids are `<taxonomy>-<slug of the Vietnamese term>`; the terms themselves are
# set once, in the Vietnamese article's [taxonomies] table.

## Tags

tags-bien-gioi = Border
tags-campuchia = Cambodia
tags-cua-khau = Border gates
tags-dai-hoi-xi = 11th Party Congress
tags-dau-tu-nuoc-ngoai = Foreign investment
tags-doi-ngoai = Foreign affairs
tags-doi-ngoai-nhan-dan = People-to-people diplomacy
tags-giao-luu-van-hoa = Cultural exchange
tags-hoi-nhap-quoc-te = International integration
tags-hop-tac-bien-gioi = Border cooperation
tags-lao-dong-ngoai-nuoc = Overseas employment
tags-mondulkiri = Mondulkiri
tags-ngoai-vu-dia-phuong = Local foreign affairs
tags-nguoi-viet-nam-o-nuoc-ngoai = Overseas Vietnamese
tags-oda = ODA
tags-phan-gioi-cam-moc = Border demarcation
tags-the-thao = Sport
tags-vien-tro-phi-chinh-phu = NGO aid
tags-xuat-khau = Exports
tags-y-te = Health care

## Categories

categories-dau-tu-va-thuong-mai = Investment and trade
categories-hop-tac-bien-gioi = Border cooperation
categories-tin-doi-ngoai = Foreign affairs news
categories-van-hoa-va-giao-luu-nhan-dan = Culture and people-to-people exchange
