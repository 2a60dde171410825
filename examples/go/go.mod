module tenantiso.example/tenantiso

go 1.19
