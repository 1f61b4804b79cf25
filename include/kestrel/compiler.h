/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Included first in every hypervisor compile (Makefile -include). Kestrel is one
 * static position-independent image: nothing is preemptible or shared, so every
 * symbol, declared or defined, has hidden visibility. -fvisibility=hidden covers only
 * definitions; without this, each access to an extern variable from another file
 * would load its address from the GOT (GCC manual, "Visibility Pragmas").
 */
#ifndef KESTREL_COMPILER_H
#define KESTREL_COMPILER_H
#pragma GCC visibility push(hidden)
#endif
