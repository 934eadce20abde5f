//! Tourism routes: the itinerary's distances, the GeoJSON file and the map.

mod common;

use common::Site;
use serde_json::Value;

fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    // Written out again here, independently of mekong's code.
    let r = 6371.0;
    let (dlat, dlon) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let x = (dlat / 2.0).sin().powi(2)
        + a.0.to_radians().cos() * b.0.to_radians().cos() * (dlon / 2.0).sin().powi(2);
    2.0 * r * x.sqrt().atan2((1.0 - x).sqrt())
}

const STOPS: [(&str, f64, f64); 3] = [
    ("Gia Nghĩa", 12.0046, 107.6903),
    ("Thác Đray Sáp", 12.5370, 107.8880),
    ("Cửa khẩu Bu Prăng", 12.2380, 107.4230),
];

fn route_site() -> Site {
    let site = Site::fixture("basic");
    let mut vi = String::from("+++\ntitle = \"Tuyến thử nghiệm\"\ndescription = \"Ba điểm dừng\"\n");
    for (name, lat, lon) in STOPS {
        vi.push_str(&format!(
            "[[stops]]\nname = \"{name}\"\nlat = {lat}\nlon = {lon}\ndescription = \"Điểm {name}\"\n"
        ));
    }
    vi.push_str("+++\nMột tuyến ngắn.\n");
    site.write("content/routes/tuyen-thu.md", &vi);
    let mut km = String::from("+++\ntitle = \"ផ្លូវសាកល្បង\"\n");
    for name in [" យ៉ាងឃ្នៀ", "ទឹកធ្លាក់ដ្រាយសាប", "ច្រកព្រំដែនប៊ូប្រាំង"]
    {
        km.push_str(&format!("[[stops]]\nname = \"{name}\"\n"));
    }
    km.push_str("+++\nផ្លូវខ្លី។\n");
    site.write("content/routes/tuyen-thu.km.md", &km);
    site.write(
        "content/routes/_index.md",
        "+++\ntitle = \"Tuyến du lịch\"\nsort_by = \"weight\"\n+++\n",
    );
    site.build(&[]);
    site
}

#[test]
fn geojson_matches_the_front_matter() {
    let site = route_site();
    let geojson: Value = serde_json::from_str(&site.public("routes/tuyen-thu/route.geojson")).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features[0]["geometry"]["type"], "LineString");
    let line = features[0]["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(line.len(), STOPS.len());
    for (i, (name, lat, lon)) in STOPS.iter().enumerate() {
        // GeoJSON puts longitude first.
        assert_eq!(line[i][0].as_f64().unwrap(), *lon);
        assert_eq!(line[i][1].as_f64().unwrap(), *lat);
        let point = &features[i + 1];
        assert_eq!(point["geometry"]["type"], "Point");
        assert_eq!(point["geometry"]["coordinates"][0].as_f64().unwrap(), *lon);
        assert_eq!(point["geometry"]["coordinates"][1].as_f64().unwrap(), *lat);
        assert_eq!(point["properties"]["name"], *name);
    }
    // The Khmer version inherits the coordinates and names its stops in Khmer.
    let km: Value = serde_json::from_str(&site.public("km/routes/tuyen-thu/route.geojson")).unwrap();
    assert_eq!(km["features"][2]["properties"]["name"], "ទឹកធ្លាក់ដ្រាយសាប");
    assert_eq!(
        km["features"][2]["geometry"]["coordinates"][1].as_f64().unwrap(),
        STOPS[1].1
    );
}

/// Numbers in `html` after each occurrence of `marker`, read as Vietnamese-formatted decimals.
fn distances(html: &str) -> Vec<f64> {
    html.split("<td class=\"number\">")
        .skip(1)
        .filter_map(|cell| cell.split(" km").next())
        .filter_map(|n| n.replace('.', "").replace(',', ".").parse().ok())
        .collect()
}

#[test]
fn itinerary_distances_are_great_circle_kilometres() {
    let site = route_site();
    let html = site.public("routes/tuyen-thu/index.html");
    let cells = distances(&html);
    // Per row: leg (none for the first stop), then distance from the start; then the total.
    let leg1 = haversine((STOPS[0].1, STOPS[0].2), (STOPS[1].1, STOPS[1].2));
    let leg2 = haversine((STOPS[1].1, STOPS[1].2), (STOPS[2].1, STOPS[2].2));
    let expected = [0.0, leg1, leg1, leg2, leg1 + leg2, leg1 + leg2];
    assert_eq!(cells.len(), expected.len(), "{cells:?}");
    for (shown, want) in cells.iter().zip(expected) {
        assert!(
            (shown - want).abs() <= want * 0.01 + 0.05,
            "shown {shown} km, computed {want:.2} km"
        );
    }
    assert!(html.contains("<svg class=\"route-map\""), "an inline map");
    assert!(html.contains("<title id=\"map-tuyen-thu\">Tuyến thử nghiệm</title>"));
    assert!(html.contains("route.geojson\" download"));
    // Khmer pages print the distances with Khmer digits.
    let km = site.public("km/routes/tuyen-thu/index.html");
    assert!(km.contains("គីឡូម៉ែត្រ"), "Khmer distances");
}

#[test]
fn every_sample_route_has_geojson_matching_its_front_matter() {
    let site = Site::sample();
    site.build(&[]);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site/content/routes");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with('_') || name.matches('.').count() != 1 {
            continue;
        }
        let slug = name.trim_end_matches(".md");
        let text = std::fs::read_to_string(site.root().join("content/routes").join(&name)).unwrap();
        let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
        let stops: Vec<(f64, f64)> = front["stops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["lat"].as_float().unwrap(), s["lon"].as_float().unwrap()))
            .collect();
        for prefix in ["", "en/", "km/"] {
            let geojson: Value =
                serde_json::from_str(&site.public(&format!("{prefix}routes/{slug}/route.geojson"))).unwrap();
            let line = geojson["features"][0]["geometry"]["coordinates"]
                .as_array()
                .unwrap();
            assert_eq!(line.len(), stops.len(), "{prefix}{slug}");
            for (point, (lat, lon)) in line.iter().zip(&stops) {
                assert_eq!(
                    (point[1].as_f64().unwrap(), point[0].as_f64().unwrap()),
                    (*lat, *lon)
                );
            }
        }
        let html = site.public(&format!("routes/{slug}/index.html"));
        let total: f64 = stops.windows(2).map(|w| haversine(w[0], w[1])).sum();
        let shown = *distances(&html).last().unwrap();
        assert!(
            (shown - total).abs() <= total * 0.01,
            "{slug}: shown {shown} km, computed {total:.2} km"
        );
        checked += 1;
    }
    assert!(checked >= 4, "the sample site has at least four routes");
}
