# Turns `go test -bench` output into a readable table.
BEGIN {
  printf "\n%-44s %12s %14s %12s\n", "benchmark", "time/op", "memory/op", "allocs/op"
  printf "%-44s %12s %14s %12s\n", "---------", "-------", "---------", "---------"
}
/^pkg:/ { pkg = $2; sub(/^carnet\//, "", pkg) }
/^Benchmark/ {
  name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
  t = ""; mem = ""; allocs = ""
  for (i = 3; i < NF; i++) {
    if ($(i+1) == "ns/op") {
      ns = $i
      if (ns >= 1e9) t = sprintf("%.2f s", ns / 1e9)
      else if (ns >= 1e6) t = sprintf("%.1f ms", ns / 1e6)
      else if (ns >= 1e3) t = sprintf("%.1f µs", ns / 1e3)
      else t = sprintf("%d ns", ns)
    }
    if ($(i+1) == "B/op") mem = ($i >= 1048576) ? sprintf("%.1f MiB", $i / 1048576) : sprintf("%.1f KiB", $i / 1024)
    if ($(i+1) == "allocs/op") allocs = $i
  }
  printf "%-44s %12s %14s %12s\n", pkg "." name, t, mem, allocs
}
