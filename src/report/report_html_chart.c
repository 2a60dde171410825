/* The HTML report's chart: for each (external tenant, direction) with
 * blocked connections, a grey bar for all its connections and a coloured
 * bar for the blocked ones, drawn as inline SVG (no script, no library). */
#include "report_html.h"

#define CHART_ROWS 25 /* the rest are in the tables below the chart */
#define LABEL_W 360
#define BAR_W 380
#define ROW_H 28
#define TOP 30

static void bar(tiso__report_out *o, size_t i, const tiso_report_tenant *t, uint64_t max)
{
    double y = TOP + (double)i * ROW_H;
    double total = (double)BAR_W * (double)t->connections / (double)max;
    double blocked = (double)BAR_W * (double)t->blocked / (double)max;
    bool outbound = t->direction == TISO_DIRECTION_OUTBOUND;
    char id[TISO_TENANT_ID_LEN + 1];
    tiso_tenant_id_format(id, &t->tenant);
    tiso__report_out_printf(o, "<g class=\"row\"><title>%s, %s: %llu of %llu connections blocked</title>\n", id,
                            tiso_direction_name(t->direction), (unsigned long long)t->blocked,
                            (unsigned long long)t->connections);
    tiso__report_out_printf(o, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"label\">", LABEL_W - 8, y + 18);
    tiso__report_out_html(o, t->label ? t->label : id);
    tiso__report_out_printf(o, " &#183; %s</text>\n", outbound ? "outbound" : "inbound");
    tiso__report_out_printf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" class=\"all\"/>\n", LABEL_W,
                            y + 4, total < 1 ? 1.0 : total, ROW_H - 8);
    tiso__report_out_printf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" class=\"%s\"/>\n", LABEL_W,
                            y + 4, blocked < 2 ? 2.0 : blocked, ROW_H - 8, outbound ? "outbound" : "inbound");
    tiso__report_out_printf(o, "<text x=\"%.1f\" y=\"%.1f\" class=\"count\">%llu</text></g>\n", LABEL_W + total + 6,
                            y + 18, (unsigned long long)t->blocked);
}

void tiso__report_html_chart(tiso__report_out *o, const tiso_report_tenant *rows, size_t n)
{
    size_t shown = 0;
    uint64_t max = 1;
    for (size_t i = 0; i < n && shown < CHART_ROWS && rows[i].blocked; i++, shown++)
        max = rows[i].connections > max ? rows[i].connections : max;
    if (!shown) {
        tiso__report_out_str(o, "<p class=\"good\">Nothing would break: every connection is allowed.</p>\n");
        return;
    }
    int height = TOP + (int)shown * ROW_H + 10;
    tiso__report_out_printf(o,
                            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"%d\" "
                            "height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>Connections that would break, per tenant and "
                            "direction</title>\n",
                            LABEL_W + BAR_W + 60, height, LABEL_W + BAR_W + 60, height);
    tiso__report_out_printf(
        o,
        "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" class=\"outbound\"/><text x=\"%d\" y=\"17\" "
        "class=\"legend\">blocked outbound</text>\n<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" "
        "class=\"inbound\"/><text x=\"%d\" y=\"17\" class=\"legend\">blocked inbound</text>\n<rect "
        "x=\"%d\" y=\"6\" width=\"12\" height=\"12\" class=\"all\"/><text x=\"%d\" y=\"17\" "
        "class=\"legend\">all connections</text>\n",
        LABEL_W, LABEL_W + 16, LABEL_W + 140, LABEL_W + 156, LABEL_W + 270, LABEL_W + 286);
    for (size_t i = 0; i < shown; i++)
        bar(o, i, &rows[i], max);
    tiso__report_out_str(o, "</svg>\n");
    if (shown < n && rows[shown].blocked)
        tiso__report_out_str(o,
                             "<p class=\"note\">The chart shows the 25 most blocked; the tables below list all.</p>\n");
}

const char tiso__report_html_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:72rem;"
    "padding:0 1rem;color:#1f2328;background:#fff}\n"
    "h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;"
    "padding-bottom:.3rem}\n"
    ".policy,.note{color:#57606a}.good{color:#1a7f37;font-weight:600}\n"
    ".cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1.5rem 0}\n"
    ".card{border:1px solid #d0d7de;border-radius:8px;padding:.8rem 1.2rem;min-width:9rem}\n"
    ".card .n{font-size:1.8rem;font-weight:700;display:block}.card.blocked .n{color:#cf222e}"
    ".card.allowed .n{color:#1a7f37}.card.uncovered .n{color:#9a6700}.card.errors .n{color:#8250df}\n"
    "table{border-collapse:collapse;width:100%;font-size:.85rem}td{overflow-wrap:anywhere}th,td{text-align:left;"
    "padding:.3rem .5rem;"
    "border-bottom:1px solid #eaeef2;vertical-align:top}th{background:#f6f8fa}\n"
    "td.id,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem}td.id{white-space:"
    "nowrap}\n"
    "pre{background:#f6f8fa;padding:1rem;overflow:auto;font-size:.8rem}\n"
    ".chart .label,.chart .legend,.chart .count{font-size:12px;fill:#1f2328}\n"
    ".chart .all{fill:#d0d7de}.chart .outbound{fill:#cf222e}.chart .inbound{fill:#bc4c00}\n"
    "footer{margin-top:3rem;color:#57606a;font-size:.8rem}\n";
