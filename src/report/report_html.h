/* Pieces of the HTML report shared between its files. */
#ifndef TISO_REPORT_HTML_H
#define TISO_REPORT_HTML_H

#include "report_writer.h"

/* Writes an inline SVG bar chart of the blocked connections per (tenant,
 * direction) among `rows` (sorted, most blocked first), or a sentence when
 * nothing is blocked. */
void tiso__report_html_chart(tiso__report_out *o, const tiso_report_tenant *rows, size_t n);

/* The page's style sheet, inline: the page loads nothing from anywhere. */
extern const char tiso__report_html_style[];

#endif /* TISO_REPORT_HTML_H */
