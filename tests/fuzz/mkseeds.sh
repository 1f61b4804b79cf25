#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerate the seed inputs of tests/fuzz/corpus/<target>/seed-* (committed; run this only
# to change them, from the top of the tree). Needs dtc and fdtput (device-tree-compiler),
# qemu-system-aarch64, and cache/Image (scripts/fetch-guest.sh); build/kestrel if present.
# Files not named seed-* (regressions found by fuzzing) are left alone.
set -eu
C=tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p $C/bootinfo $C/dom0_fdt $C/kimage $C/cmdline $C/dom0less
rm -f $C/*/seed-*

# --- Device trees (fuzz_bootinfo, fuzz_dom0_fdt) ---
# 1. The DTB QEMU 7.2 itself gives Kestrel under scripts/qemu-run.sh: guest-loader module
#    nodes, bootargs from -append. Random seeds dropped, 30 of 32 virtio-mmio nodes too.
qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb=$tmp/q.dtb -cpu cortex-a57 \
	-smp 2 -m 2G -nographic -net none -kernel cache/Image -append "dom0_mem=512M" \
	-device guest-loader,addr=0x42000000,kernel=cache/Image,bootargs="console=hvc0 earlycon=xen rdinit=/init" \
	-device guest-loader,addr=0x47000000,initrd=cache/initramfs.cpio.gz 2>/dev/null
dtc -q -I dtb -O dtb -o $tmp/qemu.dtb $tmp/q.dtb
fdtput -d $tmp/qemu.dtb /chosen rng-seed
fdtput -d $tmp/qemu.dtb /chosen kaslr-seed
for n in $(fdtget -l $tmp/qemu.dtb / | grep '^virtio_mmio@' | sort | tail -n +3); do
	fdtput -r $tmp/qemu.dtb "/$n"
done
dtc -q -I dtb -O dtb -o $tmp/qemu-virt.dtb $tmp/qemu.dtb

# 2. tests/unit/host-virt.dts (GICv3 + ITS, PMU, PCIe, cpu-map, /memreserve/, Xen-style /chosen).
dtc -q -I dts -O dtb -o $tmp/host-virt.dtb tests/unit/host-virt.dts

# 3. Modules that are only "multiboot,module" (kernel, then ramdisk, by order), /chosen
#    without its own cell sizes, no xen,dom0-bootargs: the kernel module's bootargs count.
cp $tmp/host-virt.dtb $tmp/plain-modules.dtb
fdtput -t s $tmp/plain-modules.dtb /chosen/module@47000000 compatible multiboot,module
fdtput -t s $tmp/plain-modules.dtb /chosen/module@49000000 compatible multiboot,module
fdtput -d $tmp/plain-modules.dtb /chosen '#address-cells'
fdtput -d $tmp/plain-modules.dtb /chosen '#size-cells'
fdtput -d $tmp/plain-modules.dtb /chosen xen,dom0-bootargs

# 4. The console UART by dtuart= alias, stdout-path with options, PSCI by HVC.
cp $tmp/host-virt.dtb $tmp/uart-alias.dtb
fdtput -t s $tmp/uart-alias.dtb /chosen xen,xen-bootargs "dtuart=serial0 dom0_mem=256M dom0_max_vcpus=1 noreboot"
fdtput -t s $tmp/uart-alias.dtb /chosen stdout-path "/pl011@9000000:115200n8"
fdtput -t s $tmp/uart-alias.dtb /psci method hvc

# 5. One-cell addresses and sizes throughout, a 4 GiB-limited board.
cat > $tmp/cells32.dts <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	interrupt-parent = <&gic>;
	memory@80000000 { device_type = "memory"; reg = <0x80000000 0x40000000>; };
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>; enable-method = "psci"; };
	};
	psci { compatible = "arm,psci-0.2"; method = "smc"; };
	gic: interrupt-controller@f9000000 {
		compatible = "arm,gic-v3";
		#interrupt-cells = <3>;
		interrupt-controller;
		reg = <0xf9000000 0x10000>, <0xf9100000 0x100000>;
		interrupts = <1 9 4>;
	};
	timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };
	serial@ff000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0xff000000 0x1000>; interrupts = <0 21 4>; };
	aliases { serial0 = "/serial@ff000000"; };
	chosen {
		#address-cells = <1>;
		#size-cells = <1>;
		stdout-path = "serial0:115200n8";
		xen,xen-bootargs = "dom0_mem=256M";
		xen,dom0-bootargs = "console=hvc0";
		module@90000000 { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x90000000 0x2000000>; };
		module@92000000 { compatible = "multiboot,ramdisk", "multiboot,module"; reg = <0x92000000 0x100000>; };
	};
};
EOF
dtc -q -I dts -O dtb -o $tmp/cells32.dtb $tmp/cells32.dts

# 6. Devices two buses down, translated through both buses' "ranges" (dom0's device map).
cat > $tmp/nested-bus.dts <<'EOF'
/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x80000000>; };
	intc@8000000 {
		compatible = "arm,gic-v3";
		#interrupt-cells = <3>;
		interrupt-controller;
		reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>;
	};
	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0 0 0xf0000000 0x10000000>;
		apb@1000000 {
			compatible = "simple-bus";
			#address-cells = <1>;
			#size-cells = <1>;
			ranges = <0 0x1000000 0x100000>;
			serial@2000 { compatible = "arm,pl011"; reg = <0x2000 0x1000>; interrupts = <0 5 4>; };
			gpio@3000 { reg = <0x3000 0x1000>; status = "okay"; };
		};
		pcie@2000000 {
			device_type = "pci";
			#address-cells = <3>;
			#size-cells = <2>;
			reg = <0x2000000 0x100000>;
			ranges = <0x2000000 0 0x10000000 0x10000000 0 0x1000000>;
		};
	};
	chosen {
		stdout-path = "/soc/apb@1000000/serial@2000";
		bootargs = "dom0_mem=128M";
		module@48000000 { compatible = "multiboot,kernel", "multiboot,module"; reg = <0 0x48000000 0 0x1000000>; };
	};
};
EOF
dtc -q -I dts -O dtb -o $tmp/nested-bus.dtb $tmp/nested-bus.dts

head -c 64 cache/Image > $tmp/image-header
for d in qemu-virt host-virt plain-modules uart-alias cells32 nested-bus; do
	cp $tmp/$d.dtb $C/bootinfo/seed-$d.dtb
	cp $tmp/$d.dtb $C/dom0_fdt/seed-$d.dtb
done
# fuzz_bootinfo: DTB + the first 64 bytes of dom0's kernel (Debian's Image).
cat $tmp/qemu-virt.dtb $tmp/image-header > $C/bootinfo/seed-qemu-virt+image
cat $tmp/cells32.dtb $tmp/image-header > $C/bootinfo/seed-cells32+image
# fuzz_dom0_fdt: DTB + parameters: 2 vCPUs, a tight output buffer; 1 vCPU, 512 MiB at 0x60000000.
{ cat $tmp/host-virt.dtb; printf '\002\004'; } > $C/dom0_fdt/seed-host-virt+2vcpus-tight
{ cat $tmp/qemu-virt.dtb; printf '\001\000\000\000\000\140\000\000\000\000\000\000\000\040\000\000\000\000'; } \
	> $C/dom0_fdt/seed-qemu-virt+bank

# --- dom0less domUs and a partial DT (fuzz_dom0less) ---
dtc -q -I dts -O dtb -o $C/dom0less/seed-dom0less-example.dtb dts/dom0less-example.dts
dtc -q -I dts -O dtb -o $C/dom0less/seed-domu-partial.dtb tests/unit/domu-partial.dts

# --- Image headers (fuzz_kimage) ---
cp $tmp/image-header $C/kimage/seed-debian-image
[ -f build/kestrel ] && head -c 64 build/kestrel > $C/kimage/seed-kestrel-image
# Pre-3.17 kernel: image_size 0. A big-endian kernel (flags bit 0). A gzip stream.
{ printf 'MZ\0\0\0\0\0\0'; head -c 48 /dev/zero; printf 'ARM\144\0\0\0\0'; } > $C/kimage/seed-legacy
{ head -c 24 $tmp/image-header; printf '\013'; tail -c +26 $tmp/image-header; } > $C/kimage/seed-big-endian
{ printf '\037\213\010\0'; head -c 60 /dev/zero; } > $C/kimage/seed-gzip

# --- Command lines (fuzz_cmdline) ---
printf 'dom0_mem=512M' > $C/cmdline/seed-qemu-run
printf 'console=dtuart dtuart=serial0 dom0_mem=0x20000000 dom0_max_vcpus=2 noreboot' > $C/cmdline/seed-all
printf '  dom0_mem=1g   noreboot  dtuart=/pl011@9000000:115200n8 ' > $C/cmdline/seed-spaces
printf 'dom0_mem=18446744073709551616 dom0_max_vcpus=0xffffffffffffffffff dom0_mem=3G' > $C/cmdline/seed-overflow
printf 'dom0_mem= dom0_max_vcpus=0x dom0_mem=512Mx noreboot=1 dom0=1' > $C/cmdline/seed-malformed
ls -l $C/*/seed-*
