/* Usage texts (see cli_help.h). Kept beside each other so they stay
 * consistent; SPEC section 7 is the reference. */
#include "cli_help.h"

#include <string.h>

static const char RESOLUTION_OPTIONS[] =
    "Resolution options (every command):\n"
    "  --domains MAP.json   a static {\"domain\": \"tenant-id\"} map; no network\n"
    "  --cloud global|gcc|gcchigh|usgov|dod|china  (usgov is gcchigh)\n"
    "  --graph-url URL  --login-url URL  --ca-file PATH  --timeout SECONDS\n"
    "                       the Microsoft Graph resolver. It resolves what the\n"
    "                       --domains map does not know when one of these options\n"
    "                       is given (credentials alone do not: a map means no\n"
    "                       network), and by default when there is no map (except\n"
    "                       for `test`, which stays offline)\n"
    "Credentials (environment): TENANTISO_ACCESS_TOKEN, or TENANTISO_TENANT_ID +\n"
    "  TENANTISO_CLIENT_ID + TENANTISO_CLIENT_SECRET; without them, OpenID discovery\n";

static const char EXIT_STATUS[] = "Exit status: 0 success or allowed, 1 denied or a failed case, 2 invalid input\n"
                                  "or usage, 3 runtime failure (I/O, network).\n";

static const char REPORT_INPUTS[] =
    "INPUT is a page of Power Platform's cross-tenant connection report\n"
    "(GET .../governance/crossTenantConnectionReports/{id}; several pages are several\n"
    "INPUTs) or a JSON Lines inventory, one {\"creatorTenantId\", \"targetTenantId\",\n"
    "\"connector\", \"connectionId\", \"environmentId\", \"userTenantId\"} a line (tenants\n"
    "as IDs or domains). \"-\" reads standard input. The kind is told by content:\n"
    "one JSON document with a \"connections\" array is a page, anything else JSON\n"
    "Lines; a record that could be either is an error.\n"
    "  --input-format page|jsonl   say which kind every INPUT is\n"
    "A bad line or entry is reported with where it is, and reading goes on.\n";

/* suggest's and diff's. */
static const char ANALYSIS_EXIT_STATUS[] =
    "\nExit status: 0 done, 2 invalid input or usage (also when some records could not\n"
    "be read: they are listed on stderr), 3 runtime failure.\n";

static const char LIVE_OPTIONS[] =
    "Live-service options (pull, plan, push, fetch-report):\n"
    "  --tenant T              the tenant (an ID or a domain); default TENANTISO_TENANT_ID\n"
    "  --bap-url URL           the BAP host (default: the --cloud's, e.g.\n"
    "                          https://api.bap.microsoft.com); a host, not a token scope\n"
    "  --powerplatform-url URL the Power Platform API host (default: the --cloud's)\n"
    "  --login-url URL  --ca-file PATH  --timeout SECONDS  --cloud NAME  as for Graph\n"
    "Credentials (environment): TENANTISO_TENANT_ID + TENANTISO_CLIENT_ID +\n"
    "  TENANTISO_CLIENT_SECRET (a token per service is fetched once and kept in memory),\n"
    "  or caller tokens TENANTISO_BAP_ACCESS_TOKEN, TENANTISO_POWERPLATFORM_ACCESS_TOKEN,\n"
    "  or --device-code: a person signs in at a browser (TENANTISO_CLIENT_ID names the\n"
    "  public client; the code to enter is shown on stderr).\n"
    "  An empty variable counts as unset.\n";

static const struct {
    const char *command; /* NULL: the tool's own */
    const char *text[6]; /* its parts, in order */
} HELP[] = {
    {NULL,
     {"Usage: tenantiso COMMAND [ARGUMENTS] [OPTIONS]\n"
      "\n"
      "Decide whether cross-tenant connections are allowed under Microsoft Power\n"
      "Platform tenant isolation policies.\n"
      "\n"
      "Commands:\n"
      "  check POLICY            validate a policy; print it normalized, and its warnings\n"
      "  eval POLICY... --creator T --target T [--direction auto|inbound|outbound]\n"
      "                [--connector ID] [--json]\n"
      "                          decide one connection; several POLICY files form a\n"
      "                          policy set (both tenants' policies must allow)\n"
      "  eval POLICY... --batch FILE|-\n"
      "                          JSON Lines in, JSON Lines out, one line per input line\n"
      "  resolve NAME... [--json]\n"
      "                          a domain to its tenant ID; a tenant ID to its canonical form\n"
      "  test CASES.json...      run expected-decision cases; print each failure and\n"
      "                          \"N passed, N failed\"\n"
      "  report POLICY INPUT... [--format text|json|csv|html] [--output FILE]\n"
      "                [--fail-on-blocked] [--input-format page|jsonl]\n"
      "                          which connections would break under POLICY, and the\n"
      "                          allowlist entries that keep them working\n"
      "  suggest INPUT... [--home T]\n"
      "                          the allowlist that keeps INPUT's connections working\n"
      "  diff OLD NEW INPUT... [--json]\n"
      "                          which connections change verdict between two policies\n"
      "  pull [--tenant T] [--output FILE]\n"
      "                          the live policy, as the service's document\n"
      "  plan POLICY [INPUT...] [--tenant T] [--json]\n"
      "                          what pushing POLICY would change; 0 in sync, 1 differs\n"
      "  push POLICY [INPUT...] [--tenant T] --yes [--expect SHA256] [--allow-breaking]\n"
      "                          write POLICY to the service, safely, and read it back\n"
      "  fetch-report [--tenant T] [--report ID | --list] [--output-dir DIR] [--wait SECONDS]\n"
      "                          the cross-tenant connection report, page by page\n"
      "\n"
      "  T is a tenant ID (a GUID) or a domain.\n"
      "\n",
      RESOLUTION_OPTIONS,
      "\n"
      "  --json               errors as {\"error\": {\"code\", \"message\"}} on stdout\n"
      "  --help, -h           this text; COMMAND --help for a command's\n"
      "  --version            the version\n"
      "\n",
      EXIT_STATUS}},
    {"check",
     {"Usage: tenantiso check POLICY [--json | --format text|sarif] [RESOLUTION OPTIONS]\n"
      "\n"
      "Validates a tenant isolation policy (the Power Platform admin API's document),\n"
      "prints it normalized on stdout and each warning on stderr. Domain entries are\n"
      "resolved through the resolution options.\n"
      "\n"
      "  --json           print {\"valid\": true, \"policy\": {...}, \"warnings\": [...]}\n"
      "  --format sarif   print a SARIF 2.1.0 log instead: each warning, or the error,\n"
      "                   a result with its rule ID and JSON path (for CI code scanning)\n"
      "\n",
      RESOLUTION_OPTIONS, "\nExit status: 0 valid (warnings do not fail), 2 invalid, 3 unreadable.\n"}},
    {"eval",
     {"Usage: tenantiso eval POLICY... --creator T --target T\n"
      "                     [--direction auto|inbound|outbound] [--connector ID] [--json]\n"
      "       tenantiso eval POLICY... --batch FILE|-\n"
      "\n"
      "Decides whether a connection created in tenant --creator that uses data of\n"
      "tenant --target is allowed. T is a tenant ID or a domain. With one POLICY the\n"
      "decision is that policy's; several POLICY files form a policy set: the\n"
      "creator's policy decides outbound, the target's inbound, both must allow, and\n"
      "a tenant without a policy is not isolated.\n"
      "\n"
      "  --direction D    auto (default): from the policy's home tenant\n"
      "  --connector ID   e.g. shared_office365; connectors that do not use Entra ID\n"
      "                   (shared_visualstudioteamservices) are not evaluated\n"
      "  --json           print {\"verdict\", \"reason\", \"direction\", \"externalTenant\",\n"
      "                   \"rule\", \"message\"} (and \"blockedBy\" for a policy set)\n"
      "  --batch FILE|-   read requests as JSON Lines, {\"creator\": T, \"target\": T,\n"
      "                   \"direction\": D, \"connector\": ID}, and answer each with one\n"
      "                   line: the --json object plus \"line\": N, or\n"
      "                   {\"line\": N, \"error\": {...}}\n"
      "\n",
      RESOLUTION_OPTIONS,
      "\nExit status: 0 allowed (or a batch fully answered), 1 denied, 2 invalid input\n"
      "or usage, 3 runtime failure.\n"}},
    {"resolve",
     {"Usage: tenantiso resolve NAME... [--json] [RESOLUTION OPTIONS]\n"
      "\n"
      "Prints the tenant ID of each domain NAME as \"<domain> <tenant-id>\", and a\n"
      "tenant ID NAME in its canonical form; with Graph credentials (global cloud),\n"
      "a tenant ID NAME prints \"<tenant-id> <default-domain> <display name>\" from\n"
      "Microsoft Graph (\"-\" for what Graph leaves out). Through Graph, the domains\n"
      "are looked up concurrently. One line per NAME, in argument order, once every\n"
      "NAME has resolved; otherwise nothing is printed and the first NAME that\n"
      "failed is reported.\n"
      "\n"
      "  --json   print [{\"name\", \"tenantId\", \"domain\"}, ...]; a tenant ID looked\n"
      "           up in Graph adds \"displayName\", \"defaultDomainName\" and\n"
      "           \"federationBrandName\" (null when Graph has none)\n"
      "\n",
      RESOLUTION_OPTIONS, "\n", EXIT_STATUS}},
    {"test",
     {"Usage: tenantiso test CASES.json... [--junit FILE] [RESOLUTION OPTIONS]\n"
      "\n"
      "Runs expected-decision cases: {\"domains\": {...}, \"cases\": [{\"scenario\",\n"
      "\"policy\": {...} | \"path\" (or \"policies\": [...], a policy set), \"creator\",\n"
      "\"target\", \"direction\", \"connector\", \"expect\": {\"verdict\", \"reason\",\n"
      "\"direction\", \"rule\", \"blockedBy\"} or {\"error\": \"<status>\"}}]}.\n"
      "Policy paths are relative to the cases file. Prints each failure on one line\n"
      "and closes with \"N passed, N failed\".\n"
      "\n"
      "  --junit FILE   also write the run as JUnit XML for CI: a test suite per file,\n"
      "                 a test case per case, failures with both decisions\n"
      "\n",
      RESOLUTION_OPTIONS,
      "\nExit status: 0 all passed, 1 a case failed, 2 a malformed cases file,\n"
      "3 an unreadable one.\n"}},
    {"report",
     {"Usage: tenantiso report POLICY INPUT... [--format text|json|csv|html]\n"
      "                        [--output FILE] [--fail-on-blocked] [--input-format page|jsonl]\n"
      "                        [RESOLUTION OPTIONS]\n"
      "\n"
      "Decides every connection in INPUT under POLICY (a proposed tenant isolation\n"
      "policy): which would break, grouped by external tenant and direction, which\n"
      "are not covered by isolation (connectors without Entra ID tokens, such as\n"
      "Azure DevOps), and the fewest allowlist entries that keep every blocked\n"
      "connection working.\n"
      "\n",
      REPORT_INPUTS,
      "\n"
      "  --format F         text (default) for people; json: {\"policy\", \"totals\",\n"
      "                     \"byTenant\", \"connections\", \"suggestedPolicy\"}; csv: one\n"
      "                     row per connection; html: a self-contained page with a chart\n"
      "  --output FILE      write there (replaced only when the report is complete;\n"
      "                     never one of the command's inputs)\n"
      "  --fail-on-blocked  exit 1 when a connection would be blocked (for CI)\n"
      "\n",
      RESOLUTION_OPTIONS,
      "\nExit status: 0 done, 1 blocked connections with --fail-on-blocked, 2 invalid\n"
      "input or usage (also when some records could not be read: the report lists\n"
      "them), 3 runtime failure.\n"}},
    {"suggest",
     {"Usage: tenantiso suggest INPUT... [--home T] [--input-format page|jsonl]\n"
      "                        [RESOLUTION OPTIONS]\n"
      "\n"
      "Prints a policy document for the home tenant, isolation on, whose allowlist\n"
      "has one entry per external tenant in INPUT with exactly the directions seen.\n"
      "Without --home, the home tenant is the report pages' tenant, or the one\n"
      "tenant in every cross-tenant connection of the inventories.\n"
      "\n",
      REPORT_INPUTS, "\n  --home T   the tenant the policy is for (an ID or a domain)\n\n", RESOLUTION_OPTIONS,
      ANALYSIS_EXIT_STATUS}},
    {"diff",
     {"Usage: tenantiso diff OLD NEW INPUT... [--json] [--input-format page|jsonl]\n"
      "                        [RESOLUTION OPTIONS]\n"
      "\n"
      "Lists the connections in INPUT whose verdict differs between policy OLD and\n"
      "policy NEW, and counts those newly blocked and newly allowed. A connection\n"
      "that cannot be decided counts as blocked (fail closed).\n"
      "\n",
      REPORT_INPUTS,
      "\n  --json   print {\"totals\": {\"changed\", \"newlyBlocked\", \"newlyAllowed\"},\n"
      "           \"changed\": [{..., \"before\", \"after\", \"reasonBefore\", \"reasonAfter\"}]}\n\n",
      RESOLUTION_OPTIONS, ANALYSIS_EXIT_STATUS}},
    {"pull",
     {"Usage: tenantiso pull [--tenant T] [--output FILE] [OPTIONS]\n"
      "\n"
      "Writes the tenant's live isolation policy as the service sent it, byte for\n"
      "byte (stdout, or FILE replaced only when complete). A tenant without a policy\n"
      "(the service answers 404) has isolation off: pull says so on stderr and writes\n"
      "the equivalent document (the tenant, isolation off, no entries).\n"
      "\n",
      LIVE_OPTIONS, "\nExit status: 0 done, 2 invalid input or usage, 3 network, service or I/O failure.\n"}},
    {"plan",
     {"Usage: tenantiso plan POLICY [INPUT...] [--tenant T] [--json] [OPTIONS]\n"
      "\n"
      "Shows what pushing POLICY would change in the live policy: isolation on or\n"
      "off, entries added (+), removed (-) or with other directions (~), per tenant\n"
      "and whatever their order; with INPUT (report pages or inventories), which\n"
      "connections change verdict. Prints the SHA-256 of the live policy as received\n"
      "(of zero bytes when there is none), for push --expect.\n"
      "\n"
      "  --json   {\"tenant\", \"liveSha256\", \"liveFound\", \"inSync\",\n"
      "            \"isolation\": {\"live\", \"proposed\"}, \"added\", \"removed\", \"changed\",\n"
      "            \"connections\": {\"total\", \"changed\", \"newlyBlocked\", \"newlyAllowed\"}}\n"
      "\n",
      LIVE_OPTIONS,
      "\nExit status: 0 in sync, 1 differs, 2 invalid input or usage, 3 network, service\n"
      "or I/O failure.\n"}},
    {"push",
     {"Usage: tenantiso push POLICY [INPUT...] [--tenant T] --yes [--expect SHA256]\n"
      "                      [--allow-breaking] [--wait SECONDS] [OPTIONS]\n"
      "\n"
      "Resolves POLICY's domains, refuses a policy for another tenant than --tenant,\n"
      "with more than 500 rules, or invalid, and shows the plan. Without --yes that\n"
      "is all. With --yes it writes POLICY to the service: refused when --expect is\n"
      "given and the live policy's SHA-256 is no longer that one (someone changed it\n"
      "since the plan was reviewed), or, with INPUT, when connections would newly\n"
      "break (unless --allow-breaking). It waits for the service's operation\n"
      "(Retry-After clamped to 2..60 s, --wait SECONDS in all, default 600) and reads\n"
      "the policy back: it must be the one pushed.\n"
      "\n",
      LIVE_OPTIONS,
      "\nExit status: 0 pushed (or already in sync), 1 not pushed (no --yes, or\n"
      "connections would break), 2 invalid input, usage or a stale --expect, 3 network,\n"
      "service or I/O failure (the message says what the service holds after a write).\n"}},
    {"fetch-report",
     {"Usage: tenantiso fetch-report [--tenant T] [--report ID | --list] [--output-dir DIR]\n"
      "                              [--wait SECONDS] [OPTIONS]\n"
      "\n"
      "Creates or finds today's cross-tenant connection report (one per tenant per day;\n"
      "--report ID takes another), waits until it is Completed (--wait SECONDS in all,\n"
      "default 600; a Failed report is exit 3 with the service's words), follows every\n"
      "@odata.nextLink on the Power Platform API host (a link elsewhere is refused), and\n"
      "writes each page as received to DIR/page-0001.json, page-0002.json, ... (DIR\n"
      "default: the current directory), for `report POLICY DIR`. --list prints the\n"
      "tenant's reports: ID, status, start and end dates.\n"
      "\n",
      LIVE_OPTIONS,
      "\nExit status: 0 done, 2 invalid input or usage (an unknown --report), 3 network,\n"
      "service or I/O failure.\n"}},
};

void cli_help(FILE *out, const char *command)
{
    for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++) {
        if (command == NULL ? HELP[i].command == NULL
                            : HELP[i].command != NULL && strcmp(HELP[i].command, command) == 0) {
            for (size_t k = 0; k < sizeof HELP[i].text / sizeof HELP[i].text[0] && HELP[i].text[k] != NULL; k++) {
                fputs(HELP[i].text[k], out);
            }
        }
    }
}
