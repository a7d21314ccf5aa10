// Command carnet-bench is make bench: it builds the benchmark vault,
// measures every figure, prints the table and writes it as JSON.
//
//	go run ./cmd/carnet-bench [-quick] [-json build/bench/report.json]
//
// Figures short of their target are reported, not failed: the exit status
// is 1 only when something could not be measured.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"carnet/internal/benchreport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == benchreport.MemoryChildArg {
		if err := benchreport.MemoryChild(ctx, os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "carnet-bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == benchreport.BigMailChildArg {
		if err := benchreport.BigMailChild(ctx, os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "carnet-bench:", err)
			os.Exit(1)
		}
		return
	}
	quick := flag.Bool("quick", false, "a tenth of the vault: the same table in under two minutes")
	out := flag.String("json", "build/bench/report.json", "where to write the report as JSON")
	dir := flag.String("dir", "", "where to build the vaults (default: the temporary folder)")
	only := flag.String("only", "", "measure one figure alone, without building the vault (memory.mail.big)")
	flag.Parse()
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "carnet-bench:", err)
		os.Exit(1)
	}
	o := benchreport.Options{Sizes: benchreport.Full(), Quick: *quick, Dir: *dir, Self: []string{self, benchreport.MemoryChildArg}, Log: os.Stderr, Only: *only}
	if *quick {
		o.Sizes = benchreport.Quick()
	}
	r, err := benchreport.Run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "carnet-bench:", err)
		os.Exit(1)
	}
	fmt.Println()
	r.Print(os.Stdout)
	if err := r.WriteJSON(*out); err != nil {
		fmt.Fprintln(os.Stderr, "carnet-bench:", err)
		os.Exit(1)
	}
	fmt.Println("JSON:", *out)
}
