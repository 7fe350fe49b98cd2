// Command etcd runs the etcd server from the published go.etcd.io/etcd/server/v3 module (test infrastructure only).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
