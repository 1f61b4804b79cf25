/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KESTREL_PUBLIC_HVM_HVM_OP_H
#define KESTREL_PUBLIC_HVM_HVM_OP_H

/*
 * __HYPERVISOR_hvm_op(cmd, arg). On Arm, upstream Xen only offers
 * HVMOP_set_param, HVMOP_get_param (and HVMOP_guest_request_vm_event).
 * arg is the gva of the sub-op's struct.
 * Source: Xen public/hvm/hvm_op.h (stable-4.17).
 */

#include "../xen.h"
#include "params.h"

/*
 * Sub-op numbers used on Arm. Source: Xen public/hvm/hvm_op.h (stable-4.17).
 */
#define HVMOP_set_param                0   /* struct xen_hvm_param */
#define HVMOP_get_param                1   /* struct xen_hvm_param */
#define HVMOP_guest_request_vm_event  24   /* arg must be 0; raises a monitor event */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

/*
 * HVMOP_{set,get}_param argument: parameter 'index' (HVM_PARAM_*) of
 * domain 'domid'; 'value' is read on set and written on get. 16 bytes.
 * Source: Xen public/hvm/hvm_op.h (stable-4.17).
 */
struct xen_hvm_param {
    domid_t  domid;             /* IN: usually DOMID_SELF */
    uint16_t pad;
    uint32_t index;             /* IN: HVM_PARAM_* */
    uint64_t value;             /* IN (set) / OUT (get) */
};

_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param size");
_Static_assert(offsetof(struct xen_hvm_param, index) == 4, "xen_hvm_param.index");
_Static_assert(offsetof(struct xen_hvm_param, value) == 8, "xen_hvm_param.value");
#endif /* !__ASSEMBLER__ */

#endif /* KESTREL_PUBLIC_HVM_HVM_OP_H */
