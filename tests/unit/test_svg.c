/* test_svg.c: unit tests of libcommon/svg.c (escaping, axes, chart geometry). */
#include <stdlib.h>

#include "buf.h"
#include "svg.h"
#include "unit.h"

/* Whether the buffer holds s. */
static int
has(const struct sp_buf *b, const char *s)
{
	return b->data != NULL && strstr(b->data, s) != NULL;
}

static int
count(const struct sp_buf *b, const char *s)
{
	const char *p = b->data;
	int n = 0;

	while (p != NULL && (p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

static void
escape(void)
{
	struct sp_buf b = { 0 };

	sp_html_esc(&b, "<script>alert('x') & \"y\"</script>\x01\ttab");
	CHECK_STR(b.data, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt; \ttab");
	sp_buf_reset(&b);
	sp_html_escape(&b, "a<b", 2);
	CHECK_STR(b.data, "a&lt;");
	sp_buf_reset(&b);
	sp_html_esc(&b, NULL);
	CHECK(b.len == 0);
	sp_buf_free(&b);
}

static void
numbers(void)
{
	char t[32];

	CHECK_STR(sp_svg_num(12, t, sizeof t), "12");
	CHECK_STR(sp_svg_num(-0.0, t, sizeof t), "0");
	CHECK_STR(sp_svg_num(0.125, t, sizeof t), "0.125");
	CHECK_STR(sp_svg_num(2.0 / 3, t, sizeof t), "0.6667");
	CHECK_STR(sp_svg_num(NAN, t, sizeof t), "n/a");
}

static void
axes(void)
{
	struct sp_axis a;

	/* No data: a count axis still runs from 0 to 1. */
	sp_axis_nice(&a, 0, 0, 5, 1);
	CHECK(a.lo == 0 && a.hi == 1 && a.step == 1 && a.nticks == 2);
	sp_axis_nice(&a, 0, 3, 5, 1);
	CHECK(a.lo == 0 && a.hi == 3 && a.step == 1 && a.nticks == 4);
	sp_axis_nice(&a, 0, 58, 5, 1);
	CHECK(a.lo == 0 && a.hi == 60 && a.step == 20 && a.nticks == 4);
	sp_axis_nice(&a, 0, 0.07, 5, 0);
	CHECK_NEAR(a.hi, 0.08, 1e-12);
	CHECK_NEAR(a.step, 0.02, 1e-12);
	CHECK(a.nticks == 5);
	sp_axis_nice(&a, -1.3, 1.47, 6, 0);
	CHECK_NEAR(a.lo, -1.5, 1e-12);
	CHECK_NEAR(a.hi, 1.5, 1e-12);
	CHECK(a.nticks == 7);
	/* A single non-zero value that is not a count gets room around it. */
	sp_axis_nice(&a, 2, 2, 5, 0);
	CHECK(a.lo <= 1 && a.hi >= 3);
	/* Infinite or reversed input is treated as empty. */
	sp_axis_nice(&a, INFINITY, 1, 5, 1);
	CHECK(a.lo == 0 && a.hi == 1);
}

/*
 * Default frame: 600 x 260, plot [56, 584] x [28, 216]: width 528, height
 * 188.  Values 1, 3, 0 on the axis [0, 3]: slot 176, bars 140.8 wide.
 */
static void
bars_geometry(void)
{
	static const char *const labels[3] = { "Mon", "<b>", "Wed" };
	static const double values[3] = { 1, 3, 0 };
	struct sp_chart c = { .id = "t", .title = "T", .integer = 1 };
	struct sp_buf b = { 0 };

	sp_svg_bars(&b, &c, 3, labels, values, 1, 1);
	CHECK(has(&b, "<rect class=\"bar\" data-i=\"0\" data-label=\"Mon\" data-value=\"1\""
	    " x=\"73.60\" y=\"153.33\" width=\"140.80\" height=\"62.67\">"));
	CHECK(has(&b, "<rect class=\"bar\" data-i=\"1\" data-label=\"&lt;b&gt;\" data-value=\"3\""
	    " x=\"249.60\" y=\"28.00\" width=\"140.80\" height=\"188.00\">"));
	CHECK(has(&b, "<rect class=\"bar\" data-i=\"2\" data-label=\"Wed\" data-value=\"0\""
	    " x=\"425.60\" y=\"216.00\" width=\"140.80\" height=\"0.00\">"));
	/* Only the zero bar is marked as a gap. */
	CHECK(count(&b, "class=\"gap\"") == 1);
	CHECK(has(&b, "<rect class=\"gap\" data-i=\"2\""));
	CHECK(has(&b, "<g class=\"yaxis\" data-min=\"0\" data-max=\"3\">"));
	CHECK(!has(&b, "<b>"));
	sp_buf_free(&b);
}

static void
empty_charts(void)
{
	struct sp_chart c = { .id = "e", .integer = 1 };
	struct sp_buf b = { 0 };

	sp_svg_bars(&b, &c, 0, NULL, NULL, 1, 0);
	CHECK(has(&b, "data-max=\"1\""));
	CHECK(has(&b, "not enough data yet"));
	CHECK(count(&b, "<svg") == 1 && count(&b, "</svg>") == 1);
	sp_buf_reset(&b);
	sp_svg_line(&b, &c, 0, NULL, NULL, 1);
	CHECK(has(&b, "not enough data yet"));
	sp_buf_reset(&b);
	c.width = 340;
	c.left = 124;
	sp_svg_hbars(&b, &c, 0, NULL, NULL, NULL);
	CHECK(has(&b, "not enough data yet"));
	/* No axis for no value, the note centred on the whole chart. */
	CHECK(!has(&b, "class=\"axis\"") && !has(&b, "class=\"tick\""));
	CHECK(has(&b, "<text class=\"empty\" x=\"170.00\""));
	c.width = 0;
	c.left = 0;
	sp_buf_reset(&b);
	sp_svg_scatter(&b, &c, NULL, 0, NULL, 0);
	CHECK(has(&b, "not enough data yet"));
	sp_buf_free(&b);
}

static void
hbars_labels(void)
{
	static const char *const labels[2] = { "<script>alert(1)</script>", "Bj\xc3\xb6rk" };
	static const double values[2] = { 4, 2 };
	static const char *const notes[2] = { "4 (66.7%)", NULL };
	struct sp_chart c = { .id = "h", .label_chars = 8 };
	struct sp_buf b = { 0 };

	sp_svg_hbars(&b, &c, 2, labels, values, notes);
	CHECK(!has(&b, "<script"));
	/* The label is cut to 8 characters; the whole one is in the title. */
	CHECK(has(&b, ">&lt;script&gt;\xe2\x80\xa6</text>"));
	CHECK(has(&b, "<title>&lt;script&gt;alert(1)&lt;/script&gt;: 4 (66.7%)</title>"));
	CHECK(has(&b, ">Bj\xc3\xb6rk</text>"));
	CHECK(has(&b, "data-label=\"Bj\xc3\xb6rk\" data-value=\"2\""));
	sp_buf_free(&b);
}

/*
 * A label also fits the left margin: wide letters and CJK are cut sooner
 * than narrow ones, from the end, so the start is never cut off the edge.
 */
static void
hbars_label_width(void)
{
	static const char *const labels[3] = {
		"MMMMMMMMMMMMMMMMMMMMMMMMMMMM", "iiiiiiiiiiiiiiiiiiiiiiii",
		"\xe6\x9d\xb1\xe4\xba\xac\xe4\xba\x8b\xe5\xa4\x89\xe3\x81\xae\xe6\xad\x8c\xe3\x81\xa7\xe3\x81\x99"
	};
	static const double values[3] = { 3, 2, 1 };
	struct sp_chart c = { .id = "w", .left = 80, .label_chars = 30 };
	struct sp_buf b = { 0 };

	sp_svg_hbars(&b, &c, 3, labels, values, NULL);
	/* 72 px at 11 px is 6.5 em: 5 M (0.98 em) and the ellipsis. */
	CHECK(has(&b, ">MMMMM\xe2\x80\xa6</text>"));
	/* Narrow letters fit three times as many: 24 x 0.36 em is too wide,
	 * 15 and the ellipsis fit. */
	CHECK(has(&b, ">iiiiiiiiiiiiiii\xe2\x80\xa6</text>"));
	/* Wide characters: five and the ellipsis. */
	CHECK(has(&b, ">\xe6\x9d\xb1\xe4\xba\xac\xe4\xba\x8b\xe5\xa4\x89\xe3\x81\xae\xe2\x80\xa6</text>"));
	sp_buf_free(&b);
}

/*
 * Labels above the bars (the report's top tracks and albums: 340 px, left
 * margin 8): a label has the chart's width less 16 px, 324 px at 11 px,
 * so a "Track — Artist" of 50 narrow-to-average letters is whole where the
 * left margin (116 px) cut it at 17; each bar sits under its label, in the
 * lower 19 px of a 34 px row.
 */
static void
hbars_label_above(void)
{
	static const char *const labels[2] = {
		"There's Nothing Holdin' Me Back \xe2\x80\x94 Shawn Mendes",
		"MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM"
	};
	static const double values[2] = { 16, 12 };
	struct sp_chart c = { .id = "a", .width = 340, .right = 84, .label_chars = 80, .label_above = 1 };
	struct sp_buf b = { 0 };

	sp_svg_hbars(&b, &c, 2, labels, values, NULL);
	CHECK(has(&b, "<text class=\"label\" x=\"12.00\" y=\"40.00\">There&#39;s Nothing Holdin&#39; Me Back"
	    " \xe2\x80\x94 Shawn Mendes</text>"));
	/* 324 px at 11 px is 29.5 em: 29 M (0.98 em each) and the ellipsis. */
	CHECK(has(&b, ">MMMMMMMMMMMMMMMMMMMMMMMMMMMMM\xe2\x80\xa6</text>"));
	/* Row 0 spans y 28 to 62: its bar from 28 + 15 + 0.15 x 19. */
	CHECK(has(&b, "y=\"45.85\" width="));
	CHECK(!has(&b, "text-anchor=\"end\""));
	/* The height: 28 + 36 + 34 a row. */
	CHECK(has(&b, "height=\"132\""));
	sp_buf_free(&b);
}

/*
 * The value axis of a narrow bar chart (the report's top lists: 340 px,
 * margins 124 and 84, so a 132 px plot) takes fewer ticks than a wide one,
 * so that their labels do not run together: up to 2191 it is 0 to 3000 by
 * 1000 (44 px apart for 4-digit labels about 28 px wide), not 0 to 2500 by 500
 * (26 px apart), which a 1060 px chart keeps.
 */
static void
hbars_ticks(void)
{
	static const char *const labels[2] = { "Taylor Swift", "Gracie Abrams" };
	static const double values[2] = { 2191, 23 };
	struct sp_chart c = { .id = "t", .width = 340, .left = 124, .right = 84, .integer = 1 };
	struct sp_buf b = { 0 };

	sp_svg_hbars(&b, &c, 2, labels, values, NULL);
	CHECK(count(&b, "<text class=\"tick\"") == 4);
	CHECK(has(&b, ">1000</text>") && has(&b, ">3000</text>") && !has(&b, ">500</text>"));
	sp_buf_reset(&b);
	c.width = 1060;
	sp_svg_hbars(&b, &c, 2, labels, values, NULL);
	CHECK(count(&b, "<text class=\"tick\"") == 6);
	CHECK(has(&b, ">500</text>") && has(&b, ">2500</text>"));
	sp_buf_free(&b);
}

/*
 * Frame 400 x 300 with margins 50/10/20/30: plot [50, 390] x [20, 270].
 * Points (0, 0), (1, 2) and (2, 1): x axis [0, 2], y axis [0, 2].
 */
static void
scatter_points(void)
{
	static const struct sp_svg_class cls[2] = {
		{ "heard", "heard", "#00f", 2 }, { "rec", "recommended", "#f00", 4 },
	};
	struct sp_svg_point p[3] = {
		{ 0, 0, 1, "a <x>" }, { 1, 2, 0, NULL }, { 2, 1, 0, "c" },
	};
	struct sp_chart c = { .id = "s", .width = 400, .height = 300, .left = 50, .right = 10,
	    .top = 20, .bottom = 30 };
	struct sp_buf b = { 0 };
	const char *heard, *rec;

	sp_svg_scatter(&b, &c, p, 3, cls, 2);
	CHECK(has(&b, "<circle class=\"pt rec\" data-i=\"0\" data-x=\"0\" data-y=\"0\""
	    " cx=\"50.00\" cy=\"270.00\" r=\"4.0\" fill=\"#f00\"><title>a &lt;x&gt;</title>"));
	CHECK(has(&b, "<circle class=\"pt heard\" data-i=\"1\" data-x=\"1\" data-y=\"2\""
	    " cx=\"220.00\" cy=\"20.00\" r=\"2.0\" fill=\"#00f\"/>"));
	CHECK(has(&b, "data-i=\"2\" data-x=\"2\" data-y=\"1\" cx=\"390.00\" cy=\"145.00\""));
	/* The later class is drawn on top. */
	heard = strstr(b.data, "class=\"pt heard\"");
	rec = strstr(b.data, "class=\"pt rec\"");
	CHECK(heard != NULL && rec != NULL && heard < rec);
	CHECK(has(&b, "data-count=\"2\">heard (2)</text>"));
	CHECK(has(&b, "data-count=\"1\">recommended (1)</text>"));
	sp_buf_free(&b);
}

static void
heatmap_cells(void)
{
	static const char *const rows[2] = { "Mon", "Tue" };
	static const char *const cols[2] = { "0", "1" };
	static const double v[4] = { 0, 1, 2, 4 };
	struct sp_chart c = { .id = "m" };
	struct sp_buf b = { 0 };

	sp_svg_heatmap(&b, &c, 2, 2, rows, cols, v);
	CHECK(count(&b, "<rect class=\"cell\"") == 4);
	CHECK(has(&b, "data-row=\"1\" data-col=\"1\" data-value=\"4\""));
	/* Zero is grey; the maximum is the darkest shade. */
	CHECK(has(&b, "data-row=\"0\" data-col=\"0\" data-value=\"0\" x=\"56.00\" y=\"28.00\""
	    " width=\"263.00\" height=\"93.00\" fill=\"#f2f2f2\""));
	CHECK(has(&b, "fill=\"#08306b\"><title>Tue 1: 4</title>"));
	sp_buf_free(&b);
}

int
main(void)
{
	RUN(escape);
	RUN(numbers);
	RUN(axes);
	RUN(bars_geometry);
	RUN(empty_charts);
	RUN(hbars_labels);
	RUN(hbars_label_width);
	RUN(hbars_label_above);
	RUN(hbars_ticks);
	RUN(scatter_points);
	RUN(heatmap_cells);
	return unit_failed != 0;
}
