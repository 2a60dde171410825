package tenantiso_test

import (
	"fmt"

	"tenantiso.example/tenantiso"
)

// The README's example.
func Example() {
	const contoso, fabrikam = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050", "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
	policy, err := tenantiso.LoadJSON([]byte(`{"tenantId": "` + contoso + `", "isDisabled": false,
		"allowedTenants": [{"tenantId": "` + fabrikam + `", "direction": {"outbound": true}}]}`))
	if err != nil {
		panic(err)
	}
	defer policy.Close()

	d, err := policy.Evaluate(contoso, fabrikam, tenantiso.DirectionAuto)
	fmt.Println(d.Allowed, d.Reason, err)

	c, _ := tenantiso.ParseTenantID(contoso) // parse once, reuse
	f, _ := tenantiso.ParseTenantID(fabrikam)
	for _, d := range policy.EvaluateBatch([]tenantiso.Request{
		{Creator: c, Target: f, Direction: tenantiso.DirectionAuto},
		{Creator: f, Target: c, Direction: tenantiso.DirectionAuto},
		{Creator: c, Target: tenantiso.TenantID{}, Direction: tenantiso.DirectionAuto},
	}) {
		fmt.Println(d.Verdict(), d.Reason, d.Err)
	}
	// Output:
	// true allowlisted <nil>
	// allow allowlisted <nil>
	// deny not_allowlisted <nil>
	// deny none tenantiso: invalid_tenant: not a valid tenant ID
}
