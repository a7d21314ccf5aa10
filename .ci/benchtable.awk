# Turns `go test -bench` output into a readable table.
BEGIN {
  printf "\n%-40s %11s %11s %10s  %s\n", "benchmark", "time/op", "memory/op", "allocs/op", "measured"
  printf "%-40s %11s %11s %10s  %s\n", "---------", "-------", "---------", "---------", "--------"
}
/^pkg:/ { pkg = $2; sub(/^carnet\//, "", pkg) }
/^Benchmark/ {
  name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
  t = "-"; mem = "-"; allocs = "-"; extra = ""
  for (i = 3; i < NF; i++) {
    u = $(i+1)
    if (u == "ns/op") {
      ns = $i
      if (ns == 0) t = "-"
      else if (ns >= 1e9) t = sprintf("%.2f s", ns / 1e9)
      else if (ns >= 1e6) t = sprintf("%.1f ms", ns / 1e6)
      else if (ns >= 1e3) t = sprintf("%.1f µs", ns / 1e3)
      else t = sprintf("%d ns", ns)
    } else if (u == "B/op") {
      mem = ($i >= 1048576) ? sprintf("%.1f MiB", $i / 1048576) : sprintf("%.1f KiB", $i / 1024)
    } else if (u == "allocs/op") {
      allocs = $i
    } else if (u ~ /\// || u ~ /msg\/s$/) {
      extra = extra sprintf("%s %s  ", $i, u)
    } else if (u ~ /-ms$/) {
      extra = extra sprintf("%s %s  ", u, $i)
    }
  }
  printf "%-40s %11s %11s %10s  %s\n", pkg "." name, t, mem, allocs, extra
}
