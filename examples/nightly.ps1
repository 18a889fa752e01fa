# Nightly job for Task Scheduler: back up the memory database (and the gateway state where a gateway
# runs), apply the retention policy, and fail loudly when the newest backup does not verify.
# Settings come from %ProgramData%\soniabk\soniabk.toml or SONIABK_* variables.
$ErrorActionPreference = 'Stop'
$soniabk = if ($env:SONIABK) { $env:SONIABK } else { 'soniabk.exe' }

function Invoke-Soniabk {
    & $soniabk @args
    if ($LASTEXITCODE -ne 0) { throw "soniabk $args failed with exit status $LASTEXITCODE" }
}

Invoke-Soniabk backup db
if ($env:SONIABK_GATEWAY) { Invoke-Soniabk backup state }
Invoke-Soniabk prune
Invoke-Soniabk verify --latest
