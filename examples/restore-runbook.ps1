# Restore runbook: put the newest good backup back under SONIA, stopping and restarting the service
# around an atomic swap. Read the plan it prints before saying yes; the replaced database is kept.
#   SONIA_STOP_CMD / SONIA_START_CMD   default: Stop-Service / Start-Service sonia
#   SONIA_HEALTH_URL                   polled after the restart (optional)
$ErrorActionPreference = 'Stop'
$soniabk = if ($env:SONIABK) { $env:SONIABK } else { 'soniabk.exe' }
$stop = if ($env:SONIA_STOP_CMD) { $env:SONIA_STOP_CMD } else { 'powershell -NoProfile -Command Stop-Service sonia' }
$start = if ($env:SONIA_START_CMD) { $env:SONIA_START_CMD } else { 'powershell -NoProfile -Command Start-Service sonia' }
$restore = @('restore', '--latest', '--stop-cmd', $stop, '--start-cmd', $start)
if ($env:SONIA_HEALTH_URL) { $restore += @('--health-url', $env:SONIA_HEALTH_URL) }

function Invoke-Soniabk {
    & $soniabk @args
    if ($LASTEXITCODE -ne 0) { throw "soniabk $args failed with exit status $LASTEXITCODE" }
}

# 1. Is the newest backup intact, content included?
Invoke-Soniabk verify --latest --deep
# 2. What will happen: the backup chosen, every file that moves, the space needed.
Invoke-Soniabk @restore --dry-run
if ([Environment]::UserInteractive -and -not [Console]::IsInputRedirected) {
    if ((Read-Host 'Restore now? [y/N]') -notmatch '^[yY]') { Write-Host 'nothing changed'; exit 1 }
}
# 3. Restore, timed against the 60 s objective; the output names the replaced copy.
Invoke-Soniabk @restore
# 4. One look at recovery health afterwards.
Invoke-Soniabk status
