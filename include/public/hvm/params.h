/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_HVM_PARAMS_H
#define KESTREL_PUBLIC_HVM_PARAMS_H

/*
 * Per-domain parameters read and written with HVMOP_get_param /
 * HVMOP_set_param (see hvm_op.h). On Arm a guest learns where its
 * xenstore and PV console rings are from these.
 * Source: Xen public/hvm/params.h (stable-4.17).
 */

#include "../xen.h"

/*
 * Parameter indexes (xen_hvm_param.index). Only the ones Kestrel deals
 * with are named; any index >= HVM_NR_PARAMS is invalid.
 * Source: Xen public/hvm/params.h (stable-4.17).
 */
#define HVM_PARAM_CALLBACK_IRQ     0   /* how event upcalls are delivered (see below) */
#define HVM_PARAM_STORE_PFN        1   /* gfn of the xenstore ring page */
#define HVM_PARAM_STORE_EVTCHN     2   /* event-channel port of xenstore */
#define HVM_PARAM_CONSOLE_PFN     17   /* gfn of the PV console ring page */
#define HVM_PARAM_CONSOLE_EVTCHN  18   /* event-channel port of the PV console */
#define HVM_NR_PARAMS             39   /* number of parameter slots */

/*
 * HVM_PARAM_CALLBACK_IRQ value encoding: bits 63..56 hold the delivery
 * type, the rest depends on it; value 0 disables delivery.
 * For the Arm type (PPI): bits 7..0 = PPI INTID, bits 15..8 = flags
 * (bit 8: edge(1)/level(0), bit 9: active-low(1)/high(0)), bits 55..16 = 0.
 * Source: Xen public/hvm/params.h (stable-4.17).
 */
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT  56   /* Kestrel helper, not a Xen name */
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK   KESTREL_XEN_U64(0xFF00000000000000)
#define HVM_PARAM_CALLBACK_TYPE_GSI        0   /* x86: bits 55..0 = GSI */
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX   1   /* x86: PCI INTx line */
#define HVM_PARAM_CALLBACK_TYPE_VECTOR     2   /* x86: bits 7..0 = vector */
#define HVM_PARAM_CALLBACK_TYPE_PPI        2   /* Arm: same number as VECTOR */
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_MASK       0xFF00
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL  2

#endif /* KESTREL_PUBLIC_HVM_PARAMS_H */
