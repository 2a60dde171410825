/* Prints the size and field offsets of every struct tenantiso.py mirrors, as
 * JSON, so the Python test can prove its ctypes declarations match the
 * headers this build was compiled from (a drifted field would otherwise be a
 * silent buffer overrun). */
#include <stddef.h>
#include <stdio.h>

#include <tenantiso.h>

static int first_struct = 1;
static int first_field;

static void begin(const char *name, size_t size)
{
    printf("%s\n  \"%s\": {\"size\": %zu, \"fields\": {", first_struct ? "{" : ",", name, size);
    first_struct = 0;
    first_field = 1;
}

static void field(const char *name, size_t offset)
{
    printf("%s\"%s\": %zu", first_field ? "" : ", ", name, offset);
    first_field = 0;
}

static void end(void)
{
    printf("}}");
}

#define BEGIN(type) begin(#type, sizeof(type))
#define FIELD(type, member) field(#member, offsetof(type, member))

int main(void)
{
    BEGIN(tiso_tenant_id);
    FIELD(tiso_tenant_id, bytes);
    end();
    BEGIN(tiso_error);
    FIELD(tiso_error, status);
    FIELD(tiso_error, line);
    FIELD(tiso_error, column);
    FIELD(tiso_error, offset);
    FIELD(tiso_error, path);
    FIELD(tiso_error, message);
    end();
    BEGIN(tiso_decision);
    FIELD(tiso_decision, verdict);
    FIELD(tiso_decision, reason);
    FIELD(tiso_decision, direction);
    FIELD(tiso_decision, rule);
    FIELD(tiso_decision, external_tenant);
    FIELD(tiso_decision, creator);
    FIELD(tiso_decision, target);
    FIELD(tiso_decision, blocked_by);
    FIELD(tiso_decision, policy_id);
    end();
    BEGIN(tiso_request);
    FIELD(tiso_request, creator);
    FIELD(tiso_request, target);
    FIELD(tiso_request, direction);
    FIELD(tiso_request, connector);
    FIELD(tiso_request, auth);
    end();
    BEGIN(tiso_set_decision);
    FIELD(tiso_set_decision, decision);
    FIELD(tiso_set_decision, outbound);
    FIELD(tiso_set_decision, inbound);
    end();
    BEGIN(tiso_load_options);
    FIELD(tiso_load_options, version);
    FIELD(tiso_load_options, max_entries);
    FIELD(tiso_load_options, max_document_bytes);
    FIELD(tiso_load_options, max_string_bytes);
    FIELD(tiso_load_options, max_depth);
    FIELD(tiso_load_options, resolver);
    FIELD(tiso_load_options, source);
    end();
    BEGIN(tiso_policy_entry);
    FIELD(tiso_policy_entry, tenant);
    FIELD(tiso_policy_entry, is_wildcard);
    FIELD(tiso_policy_entry, directions);
    FIELD(tiso_policy_entry, display_name);
    FIELD(tiso_policy_entry, domain);
    end();
    BEGIN(tiso_warning);
    FIELD(tiso_warning, code);
    FIELD(tiso_warning, path);
    FIELD(tiso_warning, message);
    end();
    BEGIN(tiso_provenance);
    FIELD(tiso_provenance, source);
    FIELD(tiso_provenance, loaded_at_ns);
    FIELD(tiso_provenance, sha256);
    FIELD(tiso_provenance, sha256_hex);
    FIELD(tiso_provenance, id);
    end();
    printf("\n}\n");
    return 0;
}
