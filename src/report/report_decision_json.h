/* The decision members shared by the report's JSON rows. */
#ifndef TISO_REPORT_DECISION_JSON_H
#define TISO_REPORT_DECISION_JSON_H

#include "report_writer.h"

/* Adds "outcome", "verdict", "reason", "direction", "externalTenant",
 * "rule", "message" (and "blockedBy" for a set; "error" for a connection
 * without a decision) to `obj`. false when out of memory. */
bool tiso__add_decision(cJSON *obj, const tiso_report *r, const tiso_connection_result *res);

/* Adds `item` under `key`; frees it and returns false when it is NULL or
 * cannot be added. */
bool tiso__add_item(cJSON *obj, const char *key, cJSON *item);

/* A tenant ID as a JSON string, or null for the nil GUID. */
cJSON *tiso__id_json(const tiso_tenant_id *id);

#endif /* TISO_REPORT_DECISION_JSON_H */
