//! Bar charts written as SVG text, for the suite's report: small multiples
//! (one panel per load), one row per peer, one bar per series (a median,
//! with a min-max whisker), optionally on a log scale. No dependency.

use std::fmt::Write;

/// One bar: the median and the range it came from.
#[derive(Debug, Clone, Copy)]
pub struct Bar {
    /// The median, drawn as the bar.
    pub value: f64,
    /// The smallest round, the whisker's left end.
    pub min: f64,
    /// The largest round, the whisker's right end.
    pub max: f64,
}

/// One peer's row of a panel.
#[derive(Debug, Clone)]
pub struct Row {
    /// The peer's name, left of the bars.
    pub label: String,
    /// One bar per series of the chart (`None`: not measured).
    pub bars: Vec<Option<Bar>>,
    /// Drawn in the accent colour (ringio's own rows).
    pub accent: bool,
}

/// One load (or benchmark): a titled group of rows on its own scale.
#[derive(Debug, Clone)]
pub struct Panel {
    /// What was measured, e.g. "echo 64 x 128 B".
    pub title: String,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
}

/// A whole chart: panels in a grid.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The title line.
    pub title: String,
    /// A line under the title (unit, what is better).
    pub subtitle: String,
    /// A second line: the run (machine, date, rounds).
    pub run: String,
    /// Series names, one per bar of a row (a legend is drawn for two or more).
    pub series: Vec<String>,
    /// Log scale (for latencies spanning decades).
    pub log: bool,
    /// Panels per line of the grid.
    pub columns: usize,
    /// The panels.
    pub panels: Vec<Panel>,
}

const PANEL_W: f64 = 420.0;
const LABEL_W: f64 = 120.0;
const VALUE_W: f64 = 64.0;
const BAR_H: f64 = 11.0;
const ROW_GAP: f64 = 6.0;
const PANEL_HEAD: f64 = 26.0;
const PANEL_FOOT: f64 = 14.0;
const TOP: f64 = 76.0;
const SERIES_COLOURS: [&str; 3] = ["#4c78a8", "#9ecae9", "#d4e6f5"];
const ACCENT_COLOURS: [&str; 3] = ["#e45756", "#f4a3a2", "#fbd3d2"];

/// Formats `v` with three significant figures and a k/M suffix.
pub fn human(v: f64) -> String {
    let (v, suffix) = if v.abs() >= 1e6 {
        (v / 1e6, "M")
    } else if v.abs() >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let digits = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$}{suffix}")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Maps values of one panel to x offsets in `0..width`.
struct Scale {
    log: bool,
    lo: f64,
    hi: f64,
    width: f64,
}

impl Scale {
    fn new(log: bool, values: impl Iterator<Item = f64>, width: f64) -> Scale {
        let vals: Vec<f64> = values.filter(|v| v.is_finite() && *v > 0.0).collect();
        let max = vals.iter().cloned().fold(0.0, f64::max);
        if log {
            let min = vals.iter().cloned().fold(f64::INFINITY, f64::min);
            let lo = if min.is_finite() {
                min.log10().floor()
            } else {
                0.0
            };
            let hi = if max > 0.0 {
                max.log10().ceil().max(lo + 1.0)
            } else {
                lo + 1.0
            };
            Scale { log, lo, hi, width }
        } else {
            Scale {
                log,
                lo: 0.0,
                hi: if max > 0.0 { max * 1.05 } else { 1.0 },
                width,
            }
        }
    }

    fn x(&self, v: f64) -> f64 {
        let t = if self.log {
            if v <= 0.0 {
                0.0
            } else {
                (v.log10() - self.lo) / (self.hi - self.lo)
            }
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        t.clamp(0.0, 1.0) * self.width
    }
}

fn panel_height(p: &Panel, series: usize) -> f64 {
    let row_h = BAR_H * series as f64 + ROW_GAP;
    PANEL_HEAD + row_h * p.rows.len() as f64 + PANEL_FOOT
}

/// Renders the chart as a standalone SVG document.
pub fn render(chart: &Chart) -> String {
    let series = chart.series.len().max(1);
    let cols = chart.columns.max(1);
    let row_heights: Vec<f64> = chart
        .panels
        .chunks(cols)
        .map(|line| {
            line.iter()
                .map(|p| panel_height(p, series))
                .fold(0.0, f64::max)
        })
        .collect();
    let width = PANEL_W * cols.min(chart.panels.len().max(1)) as f64 + 20.0;
    let height = TOP + row_heights.iter().sum::<f64>() + 10.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="20" font-size="15" font-weight="bold">{}</text>"#,
        escape(&chart.title)
    );
    for (y, line) in [(36, &chart.subtitle), (51, &chart.run)] {
        let _ = writeln!(
            s,
            r##"<text x="10" y="{y}" fill="#555">{}</text>"##,
            escape(line)
        );
    }
    if chart.series.len() > 1 {
        let mut x = 10.0;
        for (i, name) in chart.series.iter().enumerate() {
            let _ = writeln!(
                s,
                r#"<rect x="{x}" y="58" width="10" height="8" fill="{}"/><text x="{}" y="66">{}</text>"#,
                SERIES_COLOURS[i % 3],
                x + 14.0,
                escape(name)
            );
            x += 24.0 + 7.0 * name.len() as f64;
        }
    }
    let mut y0 = TOP;
    for (line, h) in chart.panels.chunks(cols).zip(&row_heights) {
        for (c, p) in line.iter().enumerate() {
            draw_panel(&mut s, chart, p, 10.0 + PANEL_W * c as f64, y0);
        }
        y0 += h;
    }
    s.push_str("</svg>\n");
    s
}

fn draw_panel(s: &mut String, chart: &Chart, p: &Panel, x0: f64, y0: f64) {
    let series = chart.series.len().max(1);
    let bar_w = PANEL_W - LABEL_W - VALUE_W - 16.0;
    let all = p
        .rows
        .iter()
        .flat_map(|r| r.bars.iter().flatten())
        .flat_map(|b| [b.value, b.max, b.min]);
    let scale = Scale::new(chart.log, all, bar_w);
    let _ = writeln!(
        s,
        r#"<text x="{x0}" y="{}" font-weight="bold">{}</text>"#,
        y0 + 14.0,
        escape(&p.title)
    );
    let bx = x0 + LABEL_W;
    let row_h = BAR_H * series as f64 + ROW_GAP;
    let body = row_h * p.rows.len() as f64;
    let top = y0 + PANEL_HEAD - 6.0;
    let _ = writeln!(
        s,
        r##"<line x1="{bx}" y1="{top}" x2="{bx}" y2="{}" stroke="#999"/>"##,
        top + body
    );
    if chart.log {
        let mut d = scale.lo;
        while d <= scale.hi {
            let x = bx + scale.x(10f64.powf(d));
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{}" stroke="#e5e5e5"/><text x="{x:.1}" y="{}" text-anchor="middle" fill="#777" font-size="9">{}</text>"##,
                top + body,
                top + body + 10.0,
                human(10f64.powf(d))
            );
            d += 1.0;
        }
    }
    for (i, r) in p.rows.iter().enumerate() {
        let ry = top + row_h * i as f64 + ROW_GAP / 2.0;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end"{}>{}</text>"#,
            bx - 6.0,
            ry + BAR_H * series as f64 / 2.0 + 4.0,
            if r.accent {
                r#" font-weight="bold""#
            } else {
                ""
            },
            escape(&r.label)
        );
        for (k, b) in r.bars.iter().enumerate() {
            let y = ry + BAR_H * k as f64;
            let colour = if r.accent {
                ACCENT_COLOURS[k % 3]
            } else {
                SERIES_COLOURS[k % 3]
            };
            let Some(b) = b else {
                let _ = writeln!(
                    s,
                    r##"<text x="{}" y="{:.1}" fill="#999" font-size="9">not run</text>"##,
                    bx + 4.0,
                    y + BAR_H - 2.0
                );
                continue;
            };
            let w = scale.x(b.value);
            let _ = writeln!(
                s,
                r#"<rect x="{bx}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{colour}"/>"#,
                BAR_H - 1.0
            );
            if b.max > b.min {
                let (a, z) = (bx + scale.x(b.min), bx + scale.x(b.max));
                let m = y + (BAR_H - 1.0) / 2.0;
                let _ = writeln!(
                    s,
                    r##"<path d="M{a:.1} {m:.1}H{z:.1}M{a:.1} {:.1}V{:.1}M{z:.1} {:.1}V{:.1}" stroke="#333" stroke-width="1" fill="none"/>"##,
                    m - 3.0,
                    m + 3.0,
                    m - 3.0,
                    m + 3.0
                );
            }
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" font-size="9">{}</text>"#,
                bx + scale.x(b.value.max(b.max)) + 4.0,
                y + BAR_H - 2.0,
                human(b.value)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_uses_three_figures() {
        assert_eq!(human(198_400.0), "198k");
        assert_eq!(human(5.04), "5.04");
        assert_eq!(human(12_345_678.0), "12.3M");
    }

    #[test]
    fn renders_every_row_and_a_missing_bar() {
        let chart = Chart {
            title: "t".into(),
            subtitle: "s".into(),
            run: "r".into(),
            series: vec!["p50".into(), "p99".into()],
            log: true,
            columns: 2,
            panels: vec![Panel {
                title: "echo <64> x 128 B".into(),
                rows: vec![
                    Row {
                        label: "ringio".into(),
                        bars: vec![
                            Some(Bar {
                                value: 10.0,
                                min: 8.0,
                                max: 12.0,
                            }),
                            None,
                        ],
                        accent: true,
                    },
                    Row {
                        label: "tokio".into(),
                        bars: vec![
                            Some(Bar {
                                value: 20.0,
                                min: 20.0,
                                max: 20.0
                            });
                            2
                        ],
                        accent: false,
                    },
                ],
            }],
        };
        let svg = render(&chart);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("echo &lt;64&gt; x 128 B"));
        assert!(svg.contains(">ringio<") && svg.contains(">tokio<"));
        assert!(svg.contains("not run"));
        assert_eq!(
            svg.matches("<rect x=").count(),
            3 + 2,
            "3 bars + 2 legend keys"
        );
    }
}
