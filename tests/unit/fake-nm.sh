#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Stands in for nm in the symbol-table unit test: prints the listing named last.
eval "listing=\${$#}"
cat "$listing"
