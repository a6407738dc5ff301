/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_HW_SIM_H
#define AGX_HW_SIM_H

/**
 * DOC: Simulator transport ABI
 *
 * The interface between agx_hw_sim.c and the simulator front end that runs
 * as a daemon inside the guest (tests/sim/front/vm, docs/sim-transport.md).
 * It is a development interface, not a stable UAPI: the kernel and the
 * front end are built from the same tree, and &struct agx_sim_config
 * carries %AGX_SIM_ABI_VERSION so a mismatch is refused, never misread.
 *
 * The misc device /dev/agx-sim can be open once at a time (root only).
 * The front end:
 *
 * 1. reads the configuration with %AGX_SIM_IOC_GET_CONFIG: the GPU, the
 *    reserved regions and the guest's System RAM ranges;
 * 2. maps guest physical memory with mmap() at file offset = physical
 *    address. Only System RAM can be mapped;
 * 3. creates its simulated device (which fills the bootloader blobs) and
 *    calls %AGX_SIM_IOC_ATTACH with the blob sizes. From then on the
 *    backend's operations reach the simulator;
 * 4. reads requests (&struct agx_sim_rec, AGX_SIM_REQ_*) with read() and
 *    answers with write() of records of the same size (AGX_SIM_MSG_*).
 *    poll() reports POLLIN when requests are queued.
 *
 * read() returns 0 (end of file) once the device is gone (the driver was
 * unbound); the mappings are then torn down too. Closing the file detaches
 * the simulator: a booted firmware counts as crashed.
 *
 * Records are 32 bytes, in the CPU's byte order (host and guest are the
 * same machine).
 */

#include <linux/ioctl.h>
#include <linux/types.h>

/** AGX_SIM_DEV_NAME - Name of the misc device (/dev/agx-sim). */
#define AGX_SIM_DEV_NAME "agx-sim"

/** AGX_SIM_ABI_VERSION - Version of this interface. */
#define AGX_SIM_ABI_VERSION 1

/** AGX_SIM_MAX_RAM - Most System RAM ranges reported. */
#define AGX_SIM_MAX_RAM 8

/** AGX_SIM_NUM_REGIONS - The six reserved regions, as &enum agx_hw_region_id. */
#define AGX_SIM_NUM_REGIONS 6

/**
 * enum agx_sim_req_type - Requests, kernel to simulator (read()).
 * @AGX_SIM_REQ_MMIO_READ: @a bank, @b offset. Answer with a reply whose
 *	@c is the value.
 * @AGX_SIM_REQ_MMIO_WRITE: @a bank, @b offset, @c value. No reply.
 * @AGX_SIM_REQ_BOOT: Boot RTKit. Reply @c: 0 or a negative errno.
 * @AGX_SIM_REQ_SEND: @a endpoint, @c message. No reply.
 * @AGX_SIM_REQ_TLBI: @a &enum agx_hw_tlbi, @b ASID, @c VA, @d size.
 *	Reply (@c ignored) once done.
 * @AGX_SIM_REQ_PING: Transport test: reply with @c unchanged.
 */
enum agx_sim_req_type {
	AGX_SIM_REQ_MMIO_READ = 1,
	AGX_SIM_REQ_MMIO_WRITE = 2,
	AGX_SIM_REQ_BOOT = 3,
	AGX_SIM_REQ_SEND = 4,
	AGX_SIM_REQ_TLBI = 5,
	AGX_SIM_REQ_PING = 6,
};

/**
 * enum agx_sim_msg_type - Messages, simulator to kernel (write()).
 * @AGX_SIM_MSG_REPLY: Answer to the request numbered @seq; value in @c.
 * @AGX_SIM_MSG_DELIVER: The firmware sent @c on endpoint @a.
 * @AGX_SIM_MSG_CRASHED: The firmware crashed.
 */
enum agx_sim_msg_type {
	AGX_SIM_MSG_REPLY = 1,
	AGX_SIM_MSG_DELIVER = 2,
	AGX_SIM_MSG_CRASHED = 3,
};

/**
 * struct agx_sim_rec - One request or message.
 * @type: &enum agx_sim_req_type or &enum agx_sim_msg_type.
 * @seq: Request number (never 0); for a reply, the request answered.
 * @a: First 32-bit argument.
 * @b: Second 32-bit argument.
 * @c: First 64-bit argument.
 * @d: Second 64-bit argument.
 */
struct agx_sim_rec {
	__u32 type;
	__u32 seq;
	__u32 a;
	__u32 b;
	__u64 c;
	__u64 d;
};

/**
 * struct agx_sim_range - A physical address range.
 * @pa: Base.
 * @size_B: Size in bytes.
 */
struct agx_sim_range {
	__u64 pa;
	__u64 size_B;
};

/**
 * struct agx_sim_config - What the simulator must simulate
 * (%AGX_SIM_IOC_GET_CONFIG).
 * @abi_version: %AGX_SIM_ABI_VERSION.
 * @gpu_gen: 13 or 14.
 * @gpu_variant: 'G', 'S', 'C' or 'D'.
 * @chip_id: SoC, e.g. 0x8103.
 * @gpu_rev: Silicon revision, BCD (0x11 = B1).
 * @fw_abi: Firmware ABI: major, minor, patch.
 * @num_ram: Valid entries of @ram.
 * @page_size: The guest's page size: mmap() granularity.
 * @regions: The reserved regions, by &enum agx_hw_region_id.
 * @ram: The guest's System RAM, page aligned.
 */
struct agx_sim_config {
	__u32 abi_version;
	__u32 gpu_gen;
	__u32 gpu_variant;
	__u32 chip_id;
	__u32 gpu_rev;
	__u32 fw_abi[3];
	__u32 num_ram;
	__u32 page_size;
	struct agx_sim_range regions[AGX_SIM_NUM_REGIONS];
	struct agx_sim_range ram[AGX_SIM_MAX_RAM];
};

/**
 * struct agx_sim_attach - Attach the simulator (%AGX_SIM_IOC_ATTACH).
 * @abi_version: %AGX_SIM_ABI_VERSION.
 * @pad: Zero.
 * @blob_size_B: Bytes of valid data in each region, as the bootloader
 *	reports them (non-zero only for hw-cal-a, hw-cal-b and globals).
 */
struct agx_sim_attach {
	__u32 abi_version;
	__u32 pad;
	__u64 blob_size_B[AGX_SIM_NUM_REGIONS];
};

#define AGX_SIM_IOC_MAGIC 0xa9
#define AGX_SIM_IOC_GET_CONFIG _IOR(AGX_SIM_IOC_MAGIC, 0x00, struct agx_sim_config)
#define AGX_SIM_IOC_ATTACH _IOW(AGX_SIM_IOC_MAGIC, 0x01, struct agx_sim_attach)

#endif /* AGX_HW_SIM_H */
