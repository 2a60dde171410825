/* JSON written member by member, straight to the output: a connection's
 * row in the JSON outputs (the input record's members, then the report's
 * own), and the objects of the JSON outputs, each from a list of values. */
#ifndef TISO_REPORT_DECISION_JSON_H
#define TISO_REPORT_DECISION_JSON_H

#include "report_writer.h"

/* Writes the next row of a list, one a line: "{", the input's record
 * (its members, the tenants, "position"), the format's `own` members, "}";
 * counts it in w->rows. */
void tiso__report_out_json_row(tiso_report_writer *w, const tiso_connection_result *res,
                               void (*own)(tiso_report_writer *w, const tiso_connection_result *res));

/* Writes each value that has a key as `,"key":value`: the next members of
 * an open object. */
void tiso__report_out_members(tiso__report_out *o, const tiso__report_value *v, size_t n);

/* Writes the values that have a key as one object. */
void tiso__report_out_object(tiso__report_out *o, const tiso__report_value *v, size_t n);

/* Writes "outcome", "verdict", "reason", "direction", "externalTenant",
 * "rule" (and "blockedBy" for a set), then "message", or "error" for a
 * connection without a decision. */
void tiso__report_out_decision(tiso_report_writer *w, const tiso_connection_result *res);

/* {"code", "message"}: a status by name and what went wrong. */
void tiso__report_out_error_object(tiso__report_out *o, tiso_status status, const char *message);

/* {"tenantId", "isolation", "entries", "source", "sha256"} of a side's
 * policy, or {"policySet": true, "policies": N}. */
void tiso__report_out_judge_summary(tiso__report_out *o, const tiso__report_judge *j);

/* "totals" of report --format json, or with `diff` of diff --json. */
void tiso__report_out_totals(tiso__report_out *o, const tiso_report *r, bool diff);

/* The kept problems as an array of {"code", "source", "line" | "index",
 * "path", "message"}; with `lines`, one a line. */
void tiso__report_out_problems(tiso__report_out *o, const tiso_report *r, bool lines);

#endif /* TISO_REPORT_DECISION_JSON_H */
