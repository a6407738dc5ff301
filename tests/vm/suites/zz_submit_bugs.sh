#!/bin/bash
# SPDX-License-Identifier: MIT
# scratch (not committed): the submit suite with the known-bug tests enabled
export AGX_SUBMIT_KNOWN_BUGS=1
. "$(dirname "$0")/submit.sh"
