//! Tourism routes: great-circle distances between stops, an SVG map drawn at build time (no
//! tiles, no network), and a GeoJSON file of the route.

use serde::Serialize;

use crate::content::front_matter::Stop;

/// Mean Earth radius in kilometres (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance between two points, in kilometres (haversine formula).
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h =
        ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// A stop as templates see it, with the distance from the stop before.
#[derive(Debug, Clone, Serialize)]
pub struct StopView {
    pub number: usize,
    pub name: String,
    pub description: Option<String>,
    pub image: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// Kilometres from the previous stop (0 for the first).
    pub leg_km: f64,
    /// Kilometres from the start.
    pub total_km: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteView {
    pub stops: Vec<StopView>,
    pub total_km: f64,
    /// The map, an inline `<svg>` element.
    pub svg: String,
    /// URL of the route's GeoJSON file.
    pub geojson: String,
}

/// Stops that have coordinates, in order; `None` when fewer than two do.
pub fn located(stops: &[Stop]) -> Option<Vec<(&Stop, f64, f64)>> {
    let points: Vec<(&Stop, f64, f64)> = stops.iter().filter_map(|s| Some((s, s.lat?, s.lon?))).collect();
    (points.len() >= 2).then_some(points)
}

/// `key` tells this route's map apart from others on the same page (its ids must be unique).
/// The map's stop numbers are ASCII: for data files (GeoJSON), not for pages.
pub fn route_view(
    key: &str,
    title: &str,
    stops: &[Stop],
    border: &[(f64, f64)],
    geojson_url: String,
) -> Option<RouteView> {
    route_view_with(key, title, stops, border, geojson_url, &|n| n.to_string())
}

/// Like `route_view`, with the map's stop numbers written as `language` writes numbers
/// (១ ២ ៣ on a Khmer page with `numerals = "khmr"`), like the itinerary beside it.
pub fn route_view_in(
    language: &crate::config::Language,
    key: &str,
    title: &str,
    stops: &[Stop],
    border: &[(f64, f64)],
    geojson_url: String,
) -> Option<RouteView> {
    // Most pages have no route: they cost no number formatter.
    located(stops)?;
    let numbers = crate::i18n::format::Numbers::for_language(language);
    route_view_with(key, title, stops, border, geojson_url, &|n| {
        numbers.integer(n as u64)
    })
}

fn route_view_with(
    key: &str,
    title: &str,
    stops: &[Stop],
    border: &[(f64, f64)],
    geojson_url: String,
    number: &dyn Fn(usize) -> String,
) -> Option<RouteView> {
    let points = located(stops)?;
    let mut views = Vec::with_capacity(points.len());
    let mut total = 0.0;
    for (i, (stop, lat, lon)) in points.iter().enumerate() {
        let leg = if i == 0 {
            0.0
        } else {
            let (_, plat, plon) = points[i - 1];
            haversine_km((plat, plon), (*lat, *lon))
        };
        total += leg;
        views.push(StopView {
            number: i + 1,
            name: stop.name.clone(),
            description: stop.description.clone(),
            image: stop.image.clone(),
            lat: *lat,
            lon: *lon,
            leg_km: leg,
            total_km: total,
        });
    }
    let svg = svg_map(key, title, &views, border, number);
    Some(RouteView {
        stops: views,
        total_km: total,
        svg,
        geojson: geojson_url,
    })
}

fn escape(text: &str) -> String {
    crate::syndication::escape_xml(text)
}

/// An equirectangular projection around the route (x scaled by the cosine of the mean
/// latitude), fitted to a 640 × 420 view box with a margin for labels.
fn svg_map(
    key: &str,
    title: &str,
    stops: &[StopView],
    border: &[(f64, f64)],
    number: &dyn Fn(usize) -> String,
) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 420.0;
    const MARGIN: f64 = 56.0;
    let lats = stops.iter().map(|s| s.lat);
    let lons = stops.iter().map(|s| s.lon);
    let (min_lat, max_lat) = lats.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (min_lon, max_lon) = lons.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let mean_lat = ((min_lat + max_lat) / 2.0).to_radians();
    let span_x = ((max_lon - min_lon) * mean_lat.cos()).max(0.01);
    let span_y = (max_lat - min_lat).max(0.01);
    let scale = ((WIDTH - 2.0 * MARGIN) / span_x).min((HEIGHT - 2.0 * MARGIN) / span_y);
    let offset_x = (WIDTH - span_x * scale) / 2.0;
    let offset_y = (HEIGHT - span_y * scale) / 2.0;
    let project = |lat: f64, lon: f64| {
        let x = offset_x + (lon - min_lon) * mean_lat.cos() * scale;
        let y = HEIGHT - (offset_y + (lat - min_lat) * scale);
        (x, y)
    };
    let mut svg = format!(
        "<svg class=\"route-map\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"map-{key}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"map-{key}\">{}</title><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" class=\"map-ground\"/>",
        escape(title)
    );
    if border.len() >= 2 {
        let points: Vec<String> = border
            .iter()
            .map(|(lat, lon)| {
                let (x, y) = project(*lat, *lon);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        svg.push_str(&format!(
            "<polyline class=\"map-border\" points=\"{}\"/>",
            points.join(" ")
        ));
    }
    let path: Vec<String> = stops
        .iter()
        .map(|s| {
            let (x, y) = project(s.lat, s.lon);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    svg.push_str(&format!(
        "<polyline class=\"map-route\" points=\"{}\"/>",
        path.join(" ")
    ));
    // Each label takes the first place beside its stop that no earlier label or stop covers.
    let mut taken: Vec<(f64, f64, f64, f64)> = stops
        .iter()
        .map(|s| {
            let (x, y) = project(s.lat, s.lon);
            (x - 10.0, y - 10.0, x + 10.0, y + 10.0)
        })
        .collect();
    for stop in stops {
        let (x, y) = project(stop.lat, stop.lon);
        let width = stop.name.chars().count() as f64 * 7.8;
        let places = [
            ("start", x + 13.0, y + 5.0),
            ("end", x - 13.0, y + 5.0),
            ("middle", x, y - 16.0),
            ("middle", x, y + 26.0),
            ("start", x + 13.0, y + 22.0),
            ("end", x - 13.0, y - 10.0),
        ];
        let boxed = |(anchor, lx, ly): (&str, f64, f64)| {
            let left = match anchor {
                "start" => lx,
                "end" => lx - width,
                _ => lx - width / 2.0,
            };
            (left, ly - 13.0, left + width, ly + 4.0)
        };
        let overlaps = |a: (f64, f64, f64, f64), b: &(f64, f64, f64, f64)| {
            a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
        };
        let inside =
            |b: (f64, f64, f64, f64)| b.0 >= 2.0 && b.2 <= WIDTH - 2.0 && b.1 >= 2.0 && b.3 <= HEIGHT - 2.0;
        let (anchor, lx, ly) = places
            .iter()
            .copied()
            .find(|p| {
                let b = boxed(*p);
                inside(b) && !taken.iter().any(|t| overlaps(b, t))
            })
            .unwrap_or(if x > WIDTH / 2.0 { places[1] } else { places[0] });
        taken.push(boxed((anchor, lx, ly)));
        svg.push_str(&format!(
            "<g class=\"map-stop\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\"/><text class=\"map-number\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"map-label\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text></g>",
            y + 4.0,
            number(stop.number),
            escape(&stop.name)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The route as GeoJSON (RFC 7946): the path as a LineString and each stop as a Point, with
/// coordinates in longitude, latitude order.
pub fn geojson(title: &str, route: &RouteView) -> String {
    let line: Vec<[f64; 2]> = route.stops.iter().map(|s| [s.lon, s.lat]).collect();
    let mut features = vec![serde_json::json!({
        "type": "Feature",
        "geometry": { "type": "LineString", "coordinates": line },
        "properties": { "name": title, "length_km": (route.total_km * 10.0).round() / 10.0 },
    })];
    for stop in &route.stops {
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [stop.lon, stop.lat] },
            "properties": {
                "number": stop.number,
                "name": stop.name,
                "description": stop.description,
                "km_from_start": (stop.total_km * 10.0).round() / 10.0,
            },
        }));
    }
    serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_known_distances() {
        // One degree of a meridian is the radius times π/180.
        let degree = haversine_km((0.0, 0.0), (1.0, 0.0));
        assert!((degree - 111.1951).abs() < 0.001, "{degree}");
        // Across longitude at 60° north, half as far.
        let east = haversine_km((60.0, 0.0), (60.0, 1.0));
        assert!((east - 55.5975).abs() < 0.01, "{east}");
        assert_eq!(haversine_km((12.0, 107.0), (12.0, 107.0)), 0.0);
    }

    #[test]
    fn a_route_needs_two_located_stops() {
        let stop = |name: &str, lat: Option<f64>| Stop {
            name: name.into(),
            lat,
            lon: lat.map(|_| 107.7),
            ..Stop::default()
        };
        assert!(route_view("x", "x", &[stop("a", Some(12.0))], &[], String::new()).is_none());
        let route = route_view(
            "x",
            "x",
            &[stop("a", Some(12.0)), stop("b", Some(12.1))],
            &[],
            String::new(),
        )
        .unwrap();
        assert!((route.total_km - 11.1).abs() < 0.1, "{}", route.total_km);
        assert!(route.svg.starts_with("<svg") && route.svg.contains("map-route"));
    }

    #[test]
    fn khmer_maps_number_their_stops_in_khmer_digits() {
        let stop = |name: &str, lat: f64| Stop {
            name: name.into(),
            lat: Some(lat),
            lon: Some(107.7),
            ..Stop::default()
        };
        let khmer = crate::config::Language {
            code: "km".into(),
            name: "ខ្មែរ".into(),
            locale: "km-KH".into(),
            title: String::new(),
            description: String::new(),
            prefix: "km/".into(),
            numerals: Some("khmr".into()),
            date_format: "long".into(),
            untranslated: crate::config::Untranslated::Hide,
            generate_feeds: true,
            build_search_index: true,
            taxonomies: Vec::new(),
            translations: Vec::new(),
        };
        let stops = [stop("ក", 12.0), stop("ខ", 12.1)];
        let route = route_view_in(&khmer, "x", "x", &stops, &[], String::new()).unwrap();
        assert!(
            route.svg.contains(">១</text>") && route.svg.contains(">២</text>"),
            "{}",
            route.svg
        );
        let plain = route_view("x", "x", &stops, &[], String::new()).unwrap();
        assert!(plain.svg.contains(">1</text>"));
    }
}
