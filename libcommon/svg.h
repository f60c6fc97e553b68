/* svg.h: inline SVG charts for HTML reports: bars, lines, heatmaps, scatter plots. */
#ifndef SP_SVG_H
#define SP_SVG_H

#include <stddef.h>

struct sp_buf;

/*
 * sp_html_escape: appends s (n bytes; NUL-terminated when n is (size_t)-1)
 * to b with & < > " ' written as entities, so the result is safe as HTML
 * text and inside a quoted attribute value.  Control characters other than
 * tab and newline become spaces.  NULL s appends nothing.
 */
void sp_html_escape(struct sp_buf *b, const char *s, size_t n);
#define sp_html_esc(b, s) sp_html_escape((b), (s), (size_t)-1)

/*
 * sp_svg_num: formats v for people into buf (size bytes): integers without
 * decimals ("12"), others with up to 4 significant digits ("0.125",
 * "1.235e+05"); returns buf.
 */
char *sp_svg_num(double v, char *buf, size_t size);

/*
 * An axis range with "nice" ticks: lo, lo + step, ..., hi, where step is
 * 1, 2 or 5 times a power of ten and (hi - lo) / step <= want.  With
 * integer set the step is at least 1 (counts).  An empty or zero range
 * becomes [0, 1] (or [v - 1, v + 1] around a single non-zero value
 * that is not a count), so an axis never collapses.
 */
struct sp_axis {
	double lo, hi, step;
	int nticks;		/* ticks from lo to hi inclusive */
};
void sp_axis_nice(struct sp_axis *ax, double lo, double hi, int want, int integer);

/*
 * A chart's frame.  Every chart is an <svg class="chart" data-chart="ID">
 * with a viewBox of width x height; its plot area is the rectangle
 * [left, width - right] x [top, height - bottom] (the defaults when 0:
 * left 56, right 16, top 28, bottom 44).  title is drawn at the top;
 * xlabel under the x axis, ylabel along the y axis.  integer: values are
 * counts (integer ticks).  percent: values are fractions shown as "12.5%"
 * (the y or x range is then [0, 1] at least).  Every string is escaped.
 */
struct sp_chart {
	const char *id, *title, *xlabel, *ylabel;
	int width, height;
	int left, right, top, bottom;
	int integer, percent;
	const char *empty_note;	/* shown when there is no data (default "not enough data yet") */
	int label_chars;	/* sp_svg_hbars: labels cut to this many characters (default 30) */
	int label_above;	/* sp_svg_hbars: each label on a line of its own above its bar */
};

/*
 * Vertical bars, one per category, from 0 (the y axis starts at 0).
 * Geometry: slot = plot width / n; bar i spans x = left + i * slot +
 * 0.1 * slot, width 0.8 * slot; its top is y = top + ph - v / ymax * ph
 * (ph the plot height, ymax the axis maximum); coordinates are written
 * with two decimals.  Each bar is <rect class="bar" data-i data-label
 * data-value ...><title>label: value</title></rect>.  Every label_every-th
 * category label is drawn (all when <= 1).  With mark_zero, a zero bar
 * gets a <rect class="gap"> mark under the axis, so gaps stand out.
 */
void sp_svg_bars(struct sp_buf *b, const struct sp_chart *c, size_t n,
    const char *const *labels, const double *values, int label_every, int mark_zero);

/*
 * A line through n points spaced like sp_svg_bars' slots (point i at the
 * slot's centre), each a <circle class="pt" data-i data-label data-value>.
 */
void sp_svg_line(struct sp_buf *b, const struct sp_chart *c, size_t n,
    const char *const *labels, const double *values, int label_every);

/*
 * Horizontal bars, one row per label, top to bottom: the labels at the
 * left (cut to label_chars characters and to what fits in the left margin
 * at 11 px, estimated for a wide font, with an ellipsis; the whole label
 * in the <title>), the bar
 * from the axis at 0 with length v / xmax * plot width, and notes[i] (if
 * notes and notes[i] are not NULL) or the value after the bar.  height is
 * computed from n when c->height is 0 (22 px a row).  Each bar is <rect
 * class="hbar" data-i data-label data-value>.  With label_above (long
 * names: tracks, albums), each label starts at the plot's left edge on a
 * line of its own above its bar and may use the chart's whole width less
 * the left margin (default 8 px); a row is then 34 px.
 */
void sp_svg_hbars(struct sp_buf *b, const struct sp_chart *c, size_t n,
    const char *const *labels, const double *values, const char *const *notes);

/*
 * A heatmap of nrows x ncols values (row-major), the rows labelled at the
 * left and the columns under the grid.  Each cell is <rect class="cell"
 * data-row data-col data-value> shaded from light (0) to dark (the
 * maximum); zero cells are grey.
 */
void sp_svg_heatmap(struct sp_buf *b, const struct sp_chart *c, size_t nrows, size_t ncols,
    const char *const *rowlabels, const char *const *collabels, const double *values);

/*
 * A scatter plot.  Each point has a class (an index into classes) that
 * gives its colour, radius and legend name; points are drawn class by
 * class in index order (later classes on top).  Point i is <circle
 * class="pt CLASSNAME" data-i data-x data-y> (data-x, data-y the values
 * with 6 significant digits) with <title>title</title> when title is not
 * NULL.  Axes are sp_axis_nice ranges of the data; the legend (each
 * class's label and count) is in the top margin, right-aligned.
 */
struct sp_svg_point {
	double x, y;
	int cls;
	const char *title;
};
struct sp_svg_class {
	const char *name, *label, *color;
	double r;
};
void sp_svg_scatter(struct sp_buf *b, const struct sp_chart *c, const struct sp_svg_point *pts,
    size_t n, const struct sp_svg_class *classes, size_t nclasses);

#endif
