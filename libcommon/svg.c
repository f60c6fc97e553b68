/* svg.c: inline SVG charts for HTML reports (see svg.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "svg.h"

#define LABEL_CHARS 30
#define LABEL_PX 11.0	/* the labels' font size, as the reports' style sheets set it */

void
sp_html_escape(struct sp_buf *b, const char *s, size_t n)
{
	size_t i;

	if (s == NULL)
		return;
	if (n == (size_t)-1)
		n = strlen(s);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		switch (ch) {
		case '&': sp_buf_adds(b, "&amp;"); break;
		case '<': sp_buf_adds(b, "&lt;"); break;
		case '>': sp_buf_adds(b, "&gt;"); break;
		case '"': sp_buf_adds(b, "&quot;"); break;
		case '\'': sp_buf_adds(b, "&#39;"); break;
		default:
			if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f)
				sp_buf_addc(b, ' ');
			else
				sp_buf_addc(b, (char)ch);
		}
	}
}

char *
sp_svg_num(double v, char *buf, size_t size)
{
	if (!isfinite(v))
		snprintf(buf, size, "%s", "n/a");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v == 0 ? 0.0 : v);
	else
		snprintf(buf, size, "%.4g", v);
	return buf;
}

/* A percentage of a fraction for people: "12.5%", "100%". */
static char *
pct(double v, char *buf, size_t size)
{
	char t[32];

	snprintf(buf, size, "%s%%", sp_svg_num(round(v * 1000) / 10, t, sizeof t));
	return buf;
}

static char *
fmt_val(const struct sp_chart *c, double v, char *buf, size_t size)
{
	return c->percent ? pct(v, buf, size) : sp_svg_num(v, buf, size);
}

void
sp_axis_nice(struct sp_axis *ax, double lo, double hi, int want, int integer)
{
	double span, raw, mag, step, f;

	if (want < 1)
		want = 1;
	if (!isfinite(lo) || !isfinite(hi) || hi < lo)
		lo = hi = 0;
	if (hi == lo) {
		if (lo == 0 || integer) {
			lo = lo > 0 ? 0 : lo;
			hi = hi < 0 ? 0 : hi;
			if (hi == lo)
				hi = lo + 1;
		} else {
			lo -= fabs(lo) * 0.5;
			hi += fabs(hi) * 0.5;
		}
	}
	span = hi - lo;
	raw = span / want;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	step = f <= 1 ? mag : f <= 2 ? 2 * mag : f <= 5 ? 5 * mag : 10 * mag;
	if (integer && step < 1)
		step = 1;
	ax->lo = floor(lo / step + 1e-9) * step;
	ax->hi = ceil(hi / step - 1e-9) * step;
	if (ax->hi <= ax->lo)
		ax->hi = ax->lo + step;
	ax->step = step;
	ax->nticks = (int)lround((ax->hi - ax->lo) / step) + 1;
}

/* The plot area of a chart, with the defaults filled in. */
struct frame {
	double w, h, l, r, t, bt;
	double pw, ph;
};

static void
frame_init(struct frame *f, const struct sp_chart *c)
{
	f->w = c->width > 0 ? c->width : 600;
	f->h = c->height > 0 ? c->height : 260;
	f->l = c->left > 0 ? c->left : 56;
	f->r = c->right > 0 ? c->right : 16;
	f->t = c->top > 0 ? c->top : 28;
	f->bt = c->bottom > 0 ? c->bottom : 44;
	f->pw = f->w - f->l - f->r;
	f->ph = f->h - f->t - f->bt;
	if (f->pw < 10)
		f->pw = 10;
	if (f->ph < 10)
		f->ph = 10;
}

static void
attr(struct sp_buf *b, const char *name, const char *val)
{
	sp_buf_printf(b, " %s=\"", name);
	sp_html_esc(b, val);
	sp_buf_addc(b, '"');
}

/* Opens the <svg>, with its title and axis labels. */
static void
svg_open(struct sp_buf *b, const struct sp_chart *c, const struct frame *f)
{
	sp_buf_adds(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"");
	attr(b, "data-chart", c->id ? c->id : "");
	sp_buf_printf(b, " viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\"",
	    f->w, f->h, f->w, f->h);
	attr(b, "aria-label", c->title ? c->title : "");
	sp_buf_adds(b, ">\n");
	if (c->title) {
		sp_buf_printf(b, "<text class=\"title\" x=\"%.2f\" y=\"16\">", f->l);
		sp_html_esc(b, c->title);
		sp_buf_adds(b, "</text>\n");
	}
	if (c->xlabel) {
		sp_buf_printf(b, "<text class=\"axislabel\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">",
		    f->l + f->pw / 2, f->h - 4);
		sp_html_esc(b, c->xlabel);
		sp_buf_adds(b, "</text>\n");
	}
	if (c->ylabel) {
		sp_buf_printf(b, "<text class=\"axislabel\" transform=\"translate(12 %.2f) rotate(-90)\""
		    " text-anchor=\"middle\">", f->t + f->ph / 2);
		sp_html_esc(b, c->ylabel);
		sp_buf_adds(b, "</text>\n");
	}
}

static void
empty_note(struct sp_buf *b, const struct sp_chart *c, const struct frame *f)
{
	sp_buf_printf(b, "<text class=\"empty\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">",
	    f->l + f->pw / 2, f->t + f->ph / 2);
	sp_html_esc(b, c->empty_note ? c->empty_note : "not enough data yet");
	sp_buf_adds(b, "</text>\n");
}

/* y of value v on axis ax within frame f. */
static double
ypos(const struct frame *f, const struct sp_axis *ax, double v)
{
	return f->t + f->ph - (v - ax->lo) / (ax->hi - ax->lo) * f->ph;
}

static double
xpos(const struct frame *f, const struct sp_axis *ax, double v)
{
	return f->l + (v - ax->lo) / (ax->hi - ax->lo) * f->pw;
}

/* The y axis: gridlines and tick labels, and the axis line. */
static void
y_axis(struct sp_buf *b, const struct sp_chart *c, const struct frame *f, const struct sp_axis *ax)
{
	char t[32];
	int i;

	sp_buf_printf(b, "<g class=\"yaxis\" data-min=\"%s\"", sp_svg_num(ax->lo, t, sizeof t));
	sp_buf_printf(b, " data-max=\"%s\">\n", sp_svg_num(ax->hi, t, sizeof t));
	for (i = 0; i < ax->nticks; i++) {
		double v = ax->lo + i * ax->step, y = ypos(f, ax, v);

		sp_buf_printf(b, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>",
		    f->l, y, f->l + f->pw, y);
		sp_buf_printf(b, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n",
		    f->l - 4, y + 4, fmt_val(c, v, t, sizeof t));
	}
	sp_buf_printf(b, "<line class=\"axis\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
	    f->l, f->t, f->l, f->t + f->ph);
	sp_buf_adds(b, "</g>\n");
}

static void
x_axis_line(struct sp_buf *b, const struct frame *f)
{
	sp_buf_printf(b, "<line class=\"axis\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
	    f->l, f->t + f->ph, f->l + f->pw, f->t + f->ph);
}

/* Category labels under the x axis, every k-th, centred in their slots. */
static void
x_labels(struct sp_buf *b, const struct frame *f, size_t n, const char *const *labels, int every)
{
	double slot = f->pw / (double)n;
	size_t i;

	if (every < 1)
		every = 1;
	sp_buf_adds(b, "<g class=\"xaxis\">\n");
	for (i = 0; i < n; i++) {
		if (i % (size_t)every != 0 || labels == NULL || labels[i] == NULL)
			continue;
		sp_buf_printf(b, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">",
		    f->l + (i + 0.5) * slot, f->t + f->ph + 14);
		sp_html_esc(b, labels[i]);
		sp_buf_adds(b, "</text>\n");
	}
	sp_buf_adds(b, "</g>\n");
}

static double text_px(const char *s);

/*
 * The axis of values[0, n), from 0 (or from min for negative data), with
 * about five ticks; along a plot pw pixels wide (pw > 0: a horizontal
 * value axis), fewer, so that their labels do not run together.
 */
static void
value_axis(struct sp_axis *ax, const struct sp_chart *c, size_t n, const double *values,
    double pw)
{
	double lo = 0, hi = 0, widest;
	char t[32];
	size_t i;
	int want, k;

	for (i = 0; i < n; i++) {
		if (!isfinite(values[i]))
			continue;
		if (values[i] > hi)
			hi = values[i];
		if (values[i] < lo)
			lo = values[i];
	}
	if (c->percent && hi < 1 && hi > 0.5)
		hi = 1;
	for (want = 5;; want--) {
		sp_axis_nice(ax, lo, hi, want, c->integer);
		if (pw <= 0 || want == 1 || ax->nticks < 2)
			return;
		widest = 0;
		for (k = 0; k < ax->nticks; k++) {
			double w = text_px(fmt_val(c, ax->lo + k * ax->step, t, sizeof t));

			if (w > widest)
				widest = w;
		}
		if (pw / (ax->nticks - 1) >= widest + 8)
			return;
	}
}

static void
data_attrs(struct sp_buf *b, size_t i, const char *label, double v)
{
	sp_buf_printf(b, " data-i=\"%zu\"", i);
	attr(b, "data-label", label ? label : "");
	sp_buf_printf(b, " data-value=\"%.6g\"", isfinite(v) ? v : 0.0);
}

static void
value_title(struct sp_buf *b, const struct sp_chart *c, const char *label, double v, const char *note)
{
	char t[32];

	sp_buf_adds(b, "<title>");
	sp_html_esc(b, label ? label : "");
	sp_buf_adds(b, ": ");
	/* A note is what the bar says of its value, the value included. */
	if (note)
		sp_html_esc(b, note);
	else
		sp_buf_adds(b, fmt_val(c, v, t, sizeof t));
	sp_buf_adds(b, "</title>");
}

void
sp_svg_bars(struct sp_buf *b, const struct sp_chart *c, size_t n,
    const char *const *labels, const double *values, int label_every, int mark_zero)
{
	struct frame f;
	struct sp_axis ax;
	double slot;
	size_t i;

	frame_init(&f, c);
	value_axis(&ax, c, n, values, 0);
	svg_open(b, c, &f);
	y_axis(b, c, &f, &ax);
	if (n == 0) {
		x_axis_line(b, &f);
		empty_note(b, c, &f);
		sp_buf_adds(b, "</svg>\n");
		return;
	}
	slot = f.pw / (double)n;
	sp_buf_adds(b, "<g class=\"bars\">\n");
	for (i = 0; i < n; i++) {
		double v = isfinite(values[i]) ? values[i] : 0;
		double y0 = ypos(&f, &ax, 0), y1 = ypos(&f, &ax, v);
		double top = y1 < y0 ? y1 : y0, hgt = fabs(y0 - y1);
		const char *lab = labels ? labels[i] : NULL;

		sp_buf_adds(b, "<rect class=\"bar\"");
		data_attrs(b, i, lab, v);
		sp_buf_printf(b, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">",
		    f.l + i * slot + 0.1 * slot, top, 0.8 * slot, hgt);
		value_title(b, c, lab, v, NULL);
		sp_buf_adds(b, "</rect>\n");
		if (mark_zero && v == 0) {
			sp_buf_printf(b, "<rect class=\"gap\" data-i=\"%zu\" x=\"%.2f\" y=\"%.2f\""
			    " width=\"%.2f\" height=\"4\"/>\n", i, f.l + i * slot, y0 + 1, slot);
		}
	}
	sp_buf_adds(b, "</g>\n");
	x_axis_line(b, &f);
	x_labels(b, &f, n, labels, label_every);
	sp_buf_adds(b, "</svg>\n");
}

void
sp_svg_line(struct sp_buf *b, const struct sp_chart *c, size_t n,
    const char *const *labels, const double *values, int label_every)
{
	struct frame f;
	struct sp_axis ax;
	double slot;
	size_t i;

	frame_init(&f, c);
	value_axis(&ax, c, n, values, 0);
	svg_open(b, c, &f);
	y_axis(b, c, &f, &ax);
	x_axis_line(b, &f);
	if (n == 0) {
		empty_note(b, c, &f);
		sp_buf_adds(b, "</svg>\n");
		return;
	}
	slot = f.pw / (double)n;
	sp_buf_adds(b, "<polyline class=\"line\" points=\"");
	for (i = 0; i < n; i++) {
		double v = isfinite(values[i]) ? values[i] : 0;

		sp_buf_printf(b, "%s%.2f,%.2f", i ? " " : "", f.l + (i + 0.5) * slot, ypos(&f, &ax, v));
	}
	sp_buf_adds(b, "\"/>\n<g class=\"points\">\n");
	for (i = 0; i < n; i++) {
		double v = isfinite(values[i]) ? values[i] : 0;
		const char *lab = labels ? labels[i] : NULL;

		sp_buf_adds(b, "<circle class=\"pt\"");
		data_attrs(b, i, lab, v);
		sp_buf_printf(b, " cx=\"%.2f\" cy=\"%.2f\" r=\"2.5\">", f.l + (i + 0.5) * slot,
		    ypos(&f, &ax, v));
		value_title(b, c, lab, v, NULL);
		sp_buf_adds(b, "</circle>\n");
	}
	sp_buf_adds(b, "</g>\n");
	x_labels(b, &f, n, labels, label_every);
	sp_buf_adds(b, "</svg>\n");
}

/*
 * The width of code point cp in ems, estimated for a wide sans-serif (the
 * DejaVu Sans many systems fall back to), so that an estimate errs long.
 */
static double
char_em(unsigned cp)
{
	if (cp < 0x80) {
		if (strchr(" !'(),-./:;I[]fijlrt|", (int)cp) != NULL)
			return 0.36;
		if (strchr("MWmw@%", (int)cp) != NULL)
			return 0.98;
		if (cp >= 'A' && cp <= 'Z')
			return 0.74;
		return 0.64;
	}
	if (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x1f300))
		return 1.0;	/* East Asian wide, emoji */
	if (cp >= 0x2000 && cp <= 0x206f)
		return 1.0;	/* dashes, ellipsis */
	return 0.74;
}

/* The code point at s (UTF-8; a bad byte counts as one), its length in *len. */
static unsigned
next_cp(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp = u[0];
	size_t n = cp < 0xc0 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4, i;

	if (n > 1)
		cp &= 0x3f >> (n - 1);
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = 1;
			return u[0];
		}
		cp = cp << 6 | (u[i] & 0x3f);
	}
	*len = n;
	return cp;
}

/* The width of UTF-8 s in pixels at LABEL_PX, as char_em estimates it. */
static double
text_px(const char *s)
{
	double w = 0;
	size_t i, len;

	for (i = 0; s[i] != '\0'; i += len)
		w += char_em(next_cp(s + i, &len));
	return w * LABEL_PX;
}

/*
 * Appends UTF-8 s, cut to at most max characters and to what fits in px
 * pixels at LABEL_PX, with an ellipsis when cut (the ellipsis fits too).
 */
static void
cut_label(struct sp_buf *b, const char *s, size_t max, double px)
{
	size_t i = 0, cut = 0, chars = 0, len;
	double w = 0, room = px / LABEL_PX, ell = char_em(0x2026);

	while (s[i] != '\0') {
		double cw = char_em(next_cp(s + i, &len));

		if (chars + 1 > max || w + cw > room)
			break;
		w += cw;
		i += len;
		chars++;
		if (w + ell <= room)
			cut = i;
	}
	if (s[i] == '\0') {
		sp_html_escape(b, s, i);
		return;
	}
	sp_html_escape(b, s, cut);
	sp_buf_adds(b, "\xe2\x80\xa6");
}

void
sp_svg_hbars(struct sp_buf *b, const struct sp_chart *c0, size_t n,
    const char *const *labels, const double *values, const char *const *notes)
{
	struct sp_chart c = *c0;
	struct frame f;
	struct sp_axis ax;
	double row;
	size_t i;
	char t[32];

	if (c.left == 0)
		c.left = c.label_above ? 8 : 190;
	if (c.right == 0)
		c.right = 120;
	if (c.bottom == 0)
		c.bottom = 36;
	if (c.height == 0)
		c.height = 28 + 36 + (c.label_above ? 34 : 22) * (int)(n ? n : 3);
	if (n == 0)
		c.xlabel = NULL;
	frame_init(&f, &c);
	svg_open(b, &c, &f);
	if (n == 0) {
		/* No scale for no value: the note alone, across the chart. */
		f.l = 0;
		f.pw = f.w;
		empty_note(b, &c, &f);
		sp_buf_adds(b, "</svg>\n");
		return;
	}
	value_axis(&ax, &c, n, values, f.pw);
	row = f.ph / (double)n;
	/* The value axis runs along the bottom. */
	sp_buf_printf(b, "<g class=\"xaxis\" data-min=\"%s\"", sp_svg_num(ax.lo, t, sizeof t));
	sp_buf_printf(b, " data-max=\"%s\">\n", sp_svg_num(ax.hi, t, sizeof t));
	for (i = 0; i < (size_t)ax.nticks; i++) {
		double v = ax.lo + i * ax.step, x = xpos(&f, &ax, v);

		sp_buf_printf(b, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>",
		    x, f.t, x, f.t + f.ph);
		sp_buf_printf(b, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n",
		    x, f.t + f.ph + 14, fmt_val(&c, v, t, sizeof t));
	}
	sp_buf_adds(b, "</g>\n");
	sp_buf_printf(b, "<line class=\"axis\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
	    f.l, f.t, f.l, f.t + f.ph);
	sp_buf_adds(b, "<g class=\"bars\">\n");
	for (i = 0; i < n; i++) {
		double v = isfinite(values[i]) ? values[i] : 0;
		double x0 = xpos(&f, &ax, 0), x1 = xpos(&f, &ax, v);
		double y = f.t + i * row;
		const char *lab = labels && labels[i] ? labels[i] : "";
		const char *note = notes ? notes[i] : NULL;
		size_t maxc = c.label_chars > 0 ? (size_t)c.label_chars : LABEL_CHARS;
		/* The bar's band: the row, or its lower part under the label. */
		double by = c.label_above ? y + 15 : y, bh = c.label_above ? row - 15 : row;

		if (c.label_above) {
			sp_buf_printf(b, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\">", f.l + 4, y + 12);
			cut_label(b, lab, maxc, f.w - f.l - 8);
		} else {
			sp_buf_printf(b, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">",
			    f.l - 6, y + row / 2 + 4);
			cut_label(b, lab, maxc, f.l - 8);
		}
		sp_buf_adds(b, "</text>");
		sp_buf_adds(b, "<rect class=\"hbar\"");
		data_attrs(b, i, lab, v);
		sp_buf_printf(b, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">",
		    x1 < x0 ? x1 : x0, by + bh * 0.15, fabs(x1 - x0), bh * 0.7);
		value_title(b, &c, lab, v, note);
		sp_buf_adds(b, "</rect>");
		sp_buf_printf(b, "<text class=\"value\" x=\"%.2f\" y=\"%.2f\">", (x1 > x0 ? x1 : x0) + 4,
		    by + bh / 2 + 4);
		if (note)
			sp_html_esc(b, note);
		else
			sp_html_esc(b, fmt_val(&c, v, t, sizeof t));
		sp_buf_adds(b, "</text>\n");
	}
	sp_buf_adds(b, "</g>\n</svg>\n");
}

/* A shade of the heatmap colour for a fraction q of the maximum. */
static void
shade(double q, char *buf, size_t size)
{
	/* From #e8f1fb (light blue) to #08306b (dark blue). */
	static const double a[3] = { 0xe8, 0xf1, 0xfb }, z[3] = { 0x08, 0x30, 0x6b };
	int rgb[3], k;

	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	for (k = 0; k < 3; k++)
		rgb[k] = (int)lround(a[k] + (z[k] - a[k]) * q);
	snprintf(buf, size, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

void
sp_svg_heatmap(struct sp_buf *b, const struct sp_chart *c, size_t nrows, size_t ncols,
    const char *const *rowlabels, const char *const *collabels, const double *values)
{
	struct frame f;
	double max = 0, cw, ch;
	size_t i, j;
	char fill[16], t[32];

	frame_init(&f, c);
	for (i = 0; i < nrows * ncols; i++)
		if (isfinite(values[i]) && values[i] > max)
			max = values[i];
	svg_open(b, c, &f);
	if (nrows == 0 || ncols == 0) {
		empty_note(b, c, &f);
		sp_buf_adds(b, "</svg>\n");
		return;
	}
	cw = f.pw / (double)ncols;
	ch = f.ph / (double)nrows;
	sp_buf_printf(b, "<g class=\"cells\" data-max=\"%s\">\n", sp_svg_num(max, t, sizeof t));
	for (i = 0; i < nrows; i++) {
		sp_buf_printf(b, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">",
		    f.l - 4, f.t + (i + 0.5) * ch + 4);
		sp_html_esc(b, rowlabels ? rowlabels[i] : "");
		sp_buf_adds(b, "</text>\n");
		for (j = 0; j < ncols; j++) {
			double v = values[i * ncols + j];

			if (!isfinite(v))
				v = 0;
			if (v == 0)
				snprintf(fill, sizeof fill, "#f2f2f2");
			else
				shade(0.15 + 0.85 * v / max, fill, sizeof fill);
			sp_buf_printf(b, "<rect class=\"cell\" data-row=\"%zu\" data-col=\"%zu\" data-value=\"%.6g\""
			    " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>",
			    i, j, v, f.l + j * cw, f.t + i * ch, cw - 1, ch - 1, fill);
			sp_html_esc(b, rowlabels ? rowlabels[i] : "");
			sp_buf_adds(b, " ");
			sp_html_esc(b, collabels ? collabels[j] : "");
			sp_buf_printf(b, ": %s</title></rect>\n", sp_svg_num(v, t, sizeof t));
		}
	}
	sp_buf_adds(b, "</g>\n<g class=\"xaxis\">\n");
	for (j = 0; j < ncols; j++) {
		sp_buf_printf(b, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">",
		    f.l + (j + 0.5) * cw, f.t + f.ph + 14);
		sp_html_esc(b, collabels ? collabels[j] : "");
		sp_buf_adds(b, "</text>\n");
	}
	sp_buf_adds(b, "</g>\n</svg>\n");
}

void
sp_svg_scatter(struct sp_buf *b, const struct sp_chart *c, const struct sp_svg_point *pts,
    size_t n, const struct sp_svg_class *classes, size_t nclasses)
{
	struct frame f;
	struct sp_axis ax, ay;
	double xlo = 0, xhi = 0, ylo = 0, yhi = 0;
	size_t i, k, seen = 0;
	char t[32];

	for (i = 0; i < n; i++) {
		if (!isfinite(pts[i].x) || !isfinite(pts[i].y))
			continue;
		if (seen++ == 0) {
			xlo = xhi = pts[i].x;
			ylo = yhi = pts[i].y;
			continue;
		}
		xlo = pts[i].x < xlo ? pts[i].x : xlo;
		xhi = pts[i].x > xhi ? pts[i].x : xhi;
		ylo = pts[i].y < ylo ? pts[i].y : ylo;
		yhi = pts[i].y > yhi ? pts[i].y : yhi;
	}
	frame_init(&f, c);
	sp_axis_nice(&ax, xlo, xhi, 6, 0);
	sp_axis_nice(&ay, ylo, yhi, 6, 0);
	svg_open(b, c, &f);
	y_axis(b, c, &f, &ay);
	sp_buf_printf(b, "<g class=\"xaxis\" data-min=\"%s\"", sp_svg_num(ax.lo, t, sizeof t));
	sp_buf_printf(b, " data-max=\"%s\">\n", sp_svg_num(ax.hi, t, sizeof t));
	for (i = 0; i < (size_t)ax.nticks; i++) {
		double v = ax.lo + i * ax.step, x = xpos(&f, &ax, v);

		sp_buf_printf(b, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>",
		    x, f.t, x, f.t + f.ph);
		sp_buf_printf(b, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n",
		    x, f.t + f.ph + 14, sp_svg_num(v, t, sizeof t));
	}
	sp_buf_adds(b, "</g>\n");
	x_axis_line(b, &f);
	if (seen == 0)
		empty_note(b, c, &f);
	for (k = 0; k < nclasses; k++) {
		sp_buf_adds(b, "<g");
		attr(b, "class", classes[k].name);
		sp_buf_adds(b, ">\n");
		for (i = 0; i < n; i++) {
			if ((size_t)pts[i].cls != k || !isfinite(pts[i].x) || !isfinite(pts[i].y))
				continue;
			sp_buf_adds(b, "<circle class=\"pt ");
			sp_html_esc(b, classes[k].name);
			sp_buf_printf(b, "\" data-i=\"%zu\" data-x=\"%.6g\" data-y=\"%.6g\""
			    " cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\"", i, pts[i].x, pts[i].y,
			    xpos(&f, &ax, pts[i].x), ypos(&f, &ay, pts[i].y), classes[k].r);
			attr(b, "fill", classes[k].color);
			if (pts[i].title) {
				sp_buf_adds(b, "><title>");
				sp_html_esc(b, pts[i].title);
				sp_buf_adds(b, "</title></circle>\n");
			} else {
				sp_buf_adds(b, "/>\n");
			}
		}
		sp_buf_adds(b, "</g>\n");
	}
	/* The legend, in the top margin, right-aligned (about 6.5 px a character). */
	{
		double x = f.l + f.pw, y = 14;
		size_t cnt;

		for (k = 0; k < nclasses; k++) {
			const char *lab = classes[k].label ? classes[k].label : classes[k].name;

			x -= 6.5 * (double)(strlen(lab) + 6) + 22;
		}
		sp_buf_adds(b, "<g class=\"legend\">\n");
		for (k = 0; k < nclasses; k++) {
			const char *lab = classes[k].label ? classes[k].label : classes[k].name;

			for (i = 0, cnt = 0; i < n; i++)
				cnt += (size_t)pts[i].cls == k;
			sp_buf_printf(b, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\"", x + 4, y - 4);
			attr(b, "fill", classes[k].color);
			sp_buf_printf(b, "/><text x=\"%.2f\" y=\"%.2f\" data-count=\"%zu\">", x + 12, y, cnt);
			sp_html_esc(b, lab);
			sp_buf_printf(b, " (%zu)</text>\n", cnt);
			x += 6.5 * (double)(strlen(lab) + 6) + 22;
		}
	}
	sp_buf_adds(b, "</g>\n</svg>\n");
}
