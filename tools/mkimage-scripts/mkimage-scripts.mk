# SPDX-License-Identifier: Apache-2.0
# U-Boot boot script and TFTP folder, included by the top-level Makefile.
#   make bootscr  [BOARD=qemu|zcu102]  build/boot/<board>/boot.scr and boot.cmd (its text)
#   make tftproot [BOARD=qemu|zcu102]  build/tftproot/<board>/: kestrel, Image,
#                 initramfs.cpio.gz, boot.scr, boot.scr.uimg (the same script under the
#                 name U-Boot's distro boot asks DHCP/TFTP for), boot.cmd, and the board's
#                 DTB as board.dtb if its board file fetches one
# Addresses and sizes: tools/mkimage-scripts/boards/<board>.conf. DOM0_MEM=, XEN_ARGS= and
# DOM0_ARGS= given to make reach the script (tools/mkimage-scripts/mkbootscr.sh --help).
# board.dtb comes from Debian's kernel package in cache/deb/ (the board file's DTB_SOURCE,
# extracted once to build/boot/<board>/debian.dtb), or from BOARD_DTB=<file>.

BOARD ?= qemu
MKBOOTSCR := tools/mkimage-scripts/mkbootscr.sh
BOARD_CONF := tools/mkimage-scripts/boards/$(BOARD).conf
BOOTSCR_DIR := $(B)/boot/$(BOARD)
TFTPROOT := $(B)/tftproot/$(BOARD)
# A value from the board file (expanded only when a recipe needs it).
board_value = $(shell sed -n 's/^$(1)=//p' $(BOARD_CONF))

.PHONY: bootscr tftproot board-conf

board-conf:
	@test -f $(BOARD_CONF) || { echo "no board '$(BOARD)': boards are" \
		$$(ls tools/mkimage-scripts/boards | sed -n 's/\.conf$$//p'); exit 1; }

# Always regenerated: options come from the environment as well as from files.
bootscr: board-conf
	@mkdir -p $(BOOTSCR_DIR)
	$(MKBOOTSCR) --board $(BOARD) $(BOOTSCR_DIR)/boot.scr

tftproot: board-conf $(TFTPROOT)/kestrel $(TFTPROOT)/Image $(TFTPROOT)/initramfs.cpio.gz
	@dtb="$(call board_value,DTB_FILE)"; [ "$$dtb" = none ] || \
	if [ -n "$(BOARD_DTB)" ]; then cp "$(BOARD_DTB)" $(TFTPROOT)/$$dtb; else \
		$(MAKE) --no-print-directory $(BOOTSCR_DIR)/debian.dtb && \
		cp $(BOOTSCR_DIR)/debian.dtb $(TFTPROOT)/$$dtb; fi
	$(MKBOOTSCR) --board $(BOARD) --check $(TFTPROOT) $(TFTPROOT)/boot.scr
	cp $(TFTPROOT)/boot.scr $(TFTPROOT)/boot.scr.uimg
	@echo "TFTP folder for $(BOARD): $(TFTPROOT)/"; ls -l $(TFTPROOT)

$(TFTPROOT)/kestrel: $(B)/kestrel
$(TFTPROOT)/Image: cache/Image
$(TFTPROOT)/initramfs.cpio.gz: cache/initramfs.cpio.gz
$(TFTPROOT)/kestrel $(TFTPROOT)/Image $(TFTPROOT)/initramfs.cpio.gz:
	@mkdir -p $(dir $@)
	cp $< $@

# The board's DTB (DTB_SOURCE in its board file) out of Debian's kernel package.
$(BOOTSCR_DIR)/debian.dtb: $(BOARD_CONF) $(wildcard cache/deb/linux-image-*.deb)
	@mkdir -p $(dir $@)
	@src="$(call board_value,DTB_SOURCE)"; \
	deb=$$(ls cache/deb/linux-image-*.deb 2>/dev/null | head -n 1); \
	[ -n "$$src" ] && [ -n "$$deb" ] || { echo "no DTB for $(BOARD): give BOARD_DTB=<file>"; exit 1; }; \
	echo "  DTB     $$src from $$deb"; \
	dpkg-deb --fsys-tarfile "$$deb" | tar -xO --wildcards "./usr/lib/linux-image-*/$$src" >$@.tmp && \
	[ -s $@.tmp ] && mv $@.tmp $@ || { rm -f $@.tmp; echo "$$src is not in $$deb"; exit 1; }
