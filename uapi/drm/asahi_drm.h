/* SPDX-License-Identifier: MIT */
/*
 * asahi_drm.h - userspace interface of the Apple AGX GPU DRM driver.
 *
 * Copyright (C) 2026 The agx authors
 *
 * This header is ABI-identical to Linux 6.16's include/uapi/drm/asahi_drm.h:
 * the same ioctl numbers, structure sizes, field offsets, enum values and
 * flag bits. Only the wording is ours. tests/uapi/ checks every one of
 * those numbers against a table derived from the published header.
 */
#ifndef _ASAHI_DRM_H_
#define _ASAHI_DRM_H_

#ifdef __KERNEL__
#include <drm/drm.h>
#else
#include "drm.h"
#endif

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: The asahi UAPI
 *
 * The driver exposes one render node. A client opens it, queries the device
 * with %DRM_IOCTL_ASAHI_GET_PARAMS, creates a GPU address space with
 * %DRM_IOCTL_ASAHI_VM_CREATE, allocates buffer objects with
 * %DRM_IOCTL_ASAHI_GEM_CREATE and places them in the address space with
 * %DRM_IOCTL_ASAHI_VM_BIND. Work goes to a queue made with
 * %DRM_IOCTL_ASAHI_QUEUE_CREATE, as a flat command buffer passed to
 * %DRM_IOCTL_ASAHI_SUBMIT. Synchronisation is explicit only: submits wait on
 * and signal DRM sync objects (binary or timeline). Errors of a job are
 * reported through its fence.
 *
 * Rules every structure here follows, so the interface can grow without
 * breaking old binaries:
 *
 * - Structures are multiples of 8 bytes and every field sits at its natural
 *   alignment; explicit @pad fields fill any gap.
 * - Padding and fields documented as MBZ ("must be zero") are checked by the
 *   kernel. A nonzero value is refused with -EINVAL, which is what lets a
 *   later version give them a meaning.
 * - New flags take unused bits. New fields go at the end of a structure
 *   passed directly to an ioctl, or into what was padding, and the value
 *   zero must keep the old behaviour.
 * - Structures reached through a pointer carry their size somewhere
 *   (drm_asahi_vm_bind.stride, drm_asahi_cmd_header.size,
 *   drm_asahi_get_params.size). A shorter structure from older userspace
 *   reads as if the missing tail were zero. A longer one from newer
 *   userspace is accepted only when the tail the kernel does not know is
 *   zero.
 * - No unions, and ioctl numbers are never reused: new ioctls are added at
 *   the end of &enum drm_asahi_ioctl_id.
 */

/**
 * enum drm_asahi_ioctl_id - Driver-specific ioctl indices.
 *
 * Offsets from %DRM_COMMAND_BASE. Applications use the DRM_IOCTL_ASAHI_*
 * request codes at the end of this file rather than these indices. The list
 * only ever grows at its end.
 */
enum drm_asahi_ioctl_id {
	/** @DRM_ASAHI_GET_PARAMS: Read the device description. */
	DRM_ASAHI_GET_PARAMS = 0,

	/** @DRM_ASAHI_GET_TIME: Read the GPU clock. */
	DRM_ASAHI_GET_TIME,

	/** @DRM_ASAHI_VM_CREATE: Make a GPU virtual address space. */
	DRM_ASAHI_VM_CREATE,

	/** @DRM_ASAHI_VM_DESTROY: Drop a GPU virtual address space. */
	DRM_ASAHI_VM_DESTROY,

	/** @DRM_ASAHI_VM_BIND: Map or unmap buffer ranges in a VM. */
	DRM_ASAHI_VM_BIND,

	/** @DRM_ASAHI_GEM_CREATE: Allocate a buffer object. */
	DRM_ASAHI_GEM_CREATE,

	/** @DRM_ASAHI_GEM_MMAP_OFFSET: Get the mmap() offset of a buffer. */
	DRM_ASAHI_GEM_MMAP_OFFSET,

	/** @DRM_ASAHI_GEM_BIND_OBJECT: Map a buffer for a special purpose. */
	DRM_ASAHI_GEM_BIND_OBJECT,

	/** @DRM_ASAHI_QUEUE_CREATE: Make a submission queue. */
	DRM_ASAHI_QUEUE_CREATE,

	/** @DRM_ASAHI_QUEUE_DESTROY: Drop a submission queue. */
	DRM_ASAHI_QUEUE_DESTROY,

	/** @DRM_ASAHI_SUBMIT: Queue a command buffer for execution. */
	DRM_ASAHI_SUBMIT,
};

/**
 * define DRM_ASAHI_MAX_CLUSTERS - Length of drm_asahi_params_global.core_masks.
 */
#define DRM_ASAHI_MAX_CLUSTERS	64

/**
 * struct drm_asahi_params_global - Description of the device.
 *
 * Filled in by %DRM_IOCTL_ASAHI_GET_PARAMS for parameter group 0.
 */
struct drm_asahi_params_global {
	/** @features: Bit set of &enum drm_asahi_feature. */
	__u64 features;

	/** @gpu_generation: Generation number: 13 for G13x, 14 for G14x. */
	__u32 gpu_generation;

	/**
	 * @gpu_variant: Variant letter as an ASCII code, such as 'G' for a
	 * G13G or 'S' for a G14S.
	 */
	__u32 gpu_variant;

	/**
	 * @gpu_revision: Silicon revision, letter and digit as two BCD-like
	 * nibbles: 0x00 is A0, 0x11 is B1, 0x21 is C1.
	 */
	__u32 gpu_revision;

	/** @chip_id: SoC number written as hex digits, e.g. 0x8103 for T8103. */
	__u32 chip_id;

	/** @num_dies: How many dies the SoC has. */
	__u32 num_dies;

	/** @num_clusters_total: GPU clusters on all dies together. */
	__u32 num_clusters_total;

	/**
	 * @num_cores_per_cluster: Core slots per cluster, counting slots whose
	 * core is fused off or absent.
	 */
	__u32 num_cores_per_cluster;

	/** @max_frequency_khz: Highest shader core clock, in kHz. */
	__u32 max_frequency_khz;

	/**
	 * @core_masks: For each cluster, a bit per core slot that is present
	 * and enabled. Entries past @num_clusters_total are zero.
	 */
	__u64 core_masks[DRM_ASAHI_MAX_CLUSTERS];

	/**
	 * @vm_start: First GPU virtual address userspace may use. With @vm_end
	 * it bounds every address userspace chooses: buffer mappings and the
	 * kernel window of drm_asahi_vm_create. The kernel may use addresses
	 * outside this window for itself; they do not concern userspace.
	 */
	__u64 vm_start;

	/** @vm_end: Last usable GPU virtual address (inclusive). */
	__u64 vm_end;

	/**
	 * @vm_kernel_min_size: Smallest kernel window a VM accepts, in bytes.
	 *
	 * Every VM reserves a range of its own addresses for structures the
	 * kernel places there. Userspace picks the range (see
	 * drm_asahi_vm_create.kernel_start), which makes it easier to share
	 * the rest of the address space with the CPU's.
	 */
	__u64 vm_kernel_min_size;

	/**
	 * @max_commands_per_submission: Most RENDER plus COMPUTE commands one
	 * %DRM_IOCTL_ASAHI_SUBMIT may carry, a limit that comes from the
	 * firmware. Larger batches must be split by userspace, with the
	 * synchronisation that splitting needs.
	 */
	__u32 max_commands_per_submission;

	/**
	 * @max_attachments: Most &struct drm_asahi_attachment entries one
	 * attachment-setting command may carry.
	 */
	__u32 max_attachments;

	/**
	 * @command_timestamp_frequency_hz: Ticks per second of the timestamps
	 * the firmware writes for &struct drm_asahi_timestamp. Divide by this
	 * value to get seconds; it is a parameter because the firmware, not
	 * userspace, chooses the rate.
	 */
	__u64 command_timestamp_frequency_hz;
};

/**
 * enum drm_asahi_feature - Bits of drm_asahi_params_global.features.
 *
 * Only behaviour userspace cannot deduce from the GPU generation gets a bit.
 */
enum drm_asahi_feature {
	/**
	 * @DRM_ASAHI_FEATURE_SOFT_FAULTS: Unmapped shader memory accesses do
	 * not fault: loads return zero and stores are dropped. This covers the
	 * shader core's loads and stores only; other units, texture sampling
	 * among them, still fault. The mode is fixed when the GPU starts, so
	 * it is reported here rather than chosen per VM. Userspace may rely on
	 * it to speculate loads.
	 */
	DRM_ASAHI_FEATURE_SOFT_FAULTS = (1UL) << 0,
};

/**
 * struct drm_asahi_get_params - Argument of %DRM_IOCTL_ASAHI_GET_PARAMS.
 */
struct drm_asahi_get_params {
	/** @param_group: Which description to read. Only 0 exists (MBZ). */
	__u32 param_group;

	/** @pad: MBZ. */
	__u32 pad;

	/**
	 * @pointer: Userspace address the kernel copies
	 * &struct drm_asahi_params_global to.
	 */
	__u64 pointer;

	/**
	 * @size: Bytes available at @pointer. The kernel writes no more than
	 * this, so a binary built against an older, shorter structure gets
	 * the prefix it knows.
	 */
	__u64 size;
};

/**
 * struct drm_asahi_vm_create - Argument of %DRM_IOCTL_ASAHI_VM_CREATE.
 */
struct drm_asahi_vm_create {
	/**
	 * @kernel_start: First address of the range this VM sets aside for
	 * the kernel.
	 *
	 * The range [@kernel_start, @kernel_end) must lie inside
	 * [drm_asahi_params_global.vm_start, drm_asahi_params_global.vm_end]
	 * and be at least drm_asahi_params_global.vm_kernel_min_size long.
	 * Userspace must not map anything there itself.
	 */
	__u64 kernel_start;

	/** @kernel_end: End of the kernel range (exclusive). */
	__u64 kernel_end;

	/** @vm_id: Output: identifier of the new VM. */
	__u32 vm_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * struct drm_asahi_vm_destroy - Argument of %DRM_IOCTL_ASAHI_VM_DESTROY.
 */
struct drm_asahi_vm_destroy {
	/** @vm_id: The VM to drop. */
	__u32 vm_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_asahi_gem_flags - Bits of drm_asahi_gem_create.flags.
 */
enum drm_asahi_gem_flags {
	/**
	 * @DRM_ASAHI_GEM_WRITEBACK: Map the buffer cached on the CPU
	 * (write-back) instead of the default write-combined mapping. Good for
	 * buffers the CPU reads.
	 */
	DRM_ASAHI_GEM_WRITEBACK = (1L << 0),

	/**
	 * @DRM_ASAHI_GEM_VM_PRIVATE: The buffer belongs to one VM
	 * (drm_asahi_gem_create.vm_id) and cannot be exported.
	 */
	DRM_ASAHI_GEM_VM_PRIVATE = (1L << 1),
};

/**
 * struct drm_asahi_gem_create - Argument of %DRM_IOCTL_ASAHI_GEM_CREATE.
 */
struct drm_asahi_gem_create {
	/** @size: Size of the buffer in bytes. */
	__u64 size;

	/** @flags: Bit set of &enum drm_asahi_gem_flags. */
	__u32 flags;

	/**
	 * @vm_id: The owning VM when %DRM_ASAHI_GEM_VM_PRIVATE is set;
	 * otherwise MBZ.
	 */
	__u32 vm_id;

	/** @handle: Output: GEM handle of the new buffer. */
	__u32 handle;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * struct drm_asahi_gem_mmap_offset - Argument of
 * %DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET.
 */
struct drm_asahi_gem_mmap_offset {
	/** @handle: The buffer to map. */
	__u32 handle;

	/** @flags: MBZ. */
	__u32 flags;

	/** @offset: Output: the offset to pass to mmap() on this file. */
	__u64 offset;
};

/**
 * enum drm_asahi_bind_flags - Bits of drm_asahi_gem_bind_op.flags.
 */
enum drm_asahi_bind_flags {
	/**
	 * @DRM_ASAHI_BIND_UNBIND: Remove whatever is mapped in the range
	 * instead of mapping a buffer.
	 */
	DRM_ASAHI_BIND_UNBIND = (1L << 0),

	/** @DRM_ASAHI_BIND_READ: The GPU may read the mapping. */
	DRM_ASAHI_BIND_READ = (1L << 1),

	/** @DRM_ASAHI_BIND_WRITE: The GPU may write the mapping. */
	DRM_ASAHI_BIND_WRITE = (1L << 2),

	/**
	 * @DRM_ASAHI_BIND_SINGLE_PAGE: Map one page of the buffer again and
	 * again over the whole range, e.g. to back a sparse resource with a
	 * scratch or zero page.
	 */
	DRM_ASAHI_BIND_SINGLE_PAGE = (1L << 3),
};

/**
 * struct drm_asahi_gem_bind_op - One mapping change in a
 * %DRM_IOCTL_ASAHI_VM_BIND request.
 */
struct drm_asahi_gem_bind_op {
	/** @flags: Bit set of &enum drm_asahi_bind_flags. */
	__u32 flags;

	/** @handle: The buffer to map; ignored for an unbind. */
	__u32 handle;

	/**
	 * @offset: Byte offset into the buffer where the mapping starts, or,
	 * with %DRM_ASAHI_BIND_SINGLE_PAGE, of the page repeated over the
	 * range. Page aligned. Ignored for an unbind.
	 */
	__u64 offset;

	/** @range: Length of the mapping in bytes. Page aligned. */
	__u64 range;

	/** @addr: GPU virtual address of the mapping. Page aligned. */
	__u64 addr;
};

/**
 * struct drm_asahi_vm_bind - Argument of %DRM_IOCTL_ASAHI_VM_BIND.
 *
 * The changes are applied in order and are done when the ioctl returns.
 */
struct drm_asahi_vm_bind {
	/** @vm_id: The VM to change. */
	__u32 vm_id;

	/** @num_binds: Number of entries at @userptr. */
	__u32 num_binds;

	/**
	 * @stride: Distance in bytes between entries at @userptr, which lets
	 * &struct drm_asahi_gem_bind_op grow.
	 */
	__u32 stride;

	/** @pad: MBZ. */
	__u32 pad;

	/**
	 * @userptr: Userspace address of @num_binds
	 * &struct drm_asahi_gem_bind_op entries, @stride bytes apart.
	 */
	__u64 userptr;
};

/**
 * enum drm_asahi_bind_object_op - Values of drm_asahi_gem_bind_object.op.
 */
enum drm_asahi_bind_object_op {
	/** @DRM_ASAHI_BIND_OBJECT_OP_BIND: Make a special object of a buffer. */
	DRM_ASAHI_BIND_OBJECT_OP_BIND = 0,

	/** @DRM_ASAHI_BIND_OBJECT_OP_UNBIND: Drop a special object. */
	DRM_ASAHI_BIND_OBJECT_OP_UNBIND = 1,
};

/**
 * enum drm_asahi_bind_object_flags - Bits of drm_asahi_gem_bind_object.flags.
 */
enum drm_asahi_bind_object_flags {
	/**
	 * @DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS: The object receives the
	 * timestamps the firmware writes (see &struct drm_asahi_timestamp).
	 */
	DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS = (1L << 0),
};

/**
 * struct drm_asahi_gem_bind_object - Argument of
 * %DRM_IOCTL_ASAHI_GEM_BIND_OBJECT.
 *
 * Some memory is written by the firmware rather than the GPU, so it must be
 * mapped where the firmware can reach it. This ioctl does that for a range
 * of a buffer and names the result with an object handle.
 */
struct drm_asahi_gem_bind_object {
	/** @op: One of &enum drm_asahi_bind_object_op. */
	__u32 op;

	/** @flags: Bit set of &enum drm_asahi_bind_object_flags. */
	__u32 flags;

	/** @handle: The buffer to use (BIND only). */
	__u32 handle;

	/** @vm_id: Reserved for a VM identifier (MBZ). */
	__u32 vm_id;

	/** @offset: Byte offset of the range in the buffer (BIND only). */
	__u64 offset;

	/** @range: Length of the range in bytes (BIND only). */
	__u64 range;

	/**
	 * @object_handle: The object: an output of BIND and the input of
	 * UNBIND.
	 */
	__u32 object_handle;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_asahi_cmd_type - Values of drm_asahi_cmd_header.cmd_type.
 */
enum drm_asahi_cmd_type {
	/**
	 * @DRM_ASAHI_CMD_RENDER: A render pass (vertex and fragment work) for
	 * the render subqueue; the payload is &struct drm_asahi_cmd_render.
	 */
	DRM_ASAHI_CMD_RENDER = 0,

	/**
	 * @DRM_ASAHI_CMD_COMPUTE: Compute work for the compute subqueue; the
	 * payload is &struct drm_asahi_cmd_compute.
	 */
	DRM_ASAHI_CMD_COMPUTE = 1,

	/**
	 * @DRM_ASAHI_SET_VERTEX_ATTACHMENTS: Not a GPU command: sets the
	 * attachments of the vertex stage of the render commands after it in
	 * the same submit. The payload is an array of
	 * &struct drm_asahi_attachment.
	 */
	DRM_ASAHI_SET_VERTEX_ATTACHMENTS = 2,

	/**
	 * @DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS: As
	 * %DRM_ASAHI_SET_VERTEX_ATTACHMENTS, for the fragment stage.
	 */
	DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS = 3,

	/**
	 * @DRM_ASAHI_SET_COMPUTE_ATTACHMENTS: As
	 * %DRM_ASAHI_SET_VERTEX_ATTACHMENTS, for compute commands.
	 */
	DRM_ASAHI_SET_COMPUTE_ATTACHMENTS = 4,
};

/**
 * enum drm_asahi_priority - Values of drm_asahi_queue_create.priority.
 *
 * The firmware schedules queues and treats this as a request, not a
 * guarantee.
 */
enum drm_asahi_priority {
	/** @DRM_ASAHI_PRIORITY_LOW: Background work. */
	DRM_ASAHI_PRIORITY_LOW = 0,

	/** @DRM_ASAHI_PRIORITY_MEDIUM: Ordinary work. */
	DRM_ASAHI_PRIORITY_MEDIUM = 1,

	/**
	 * @DRM_ASAHI_PRIORITY_HIGH: Urgent work. Set aside for later use: a
	 * kernel may refuse it.
	 */
	DRM_ASAHI_PRIORITY_HIGH = 2,

	/**
	 * @DRM_ASAHI_PRIORITY_REALTIME: Latency-critical work. Set aside for
	 * later use: a kernel may refuse it.
	 */
	DRM_ASAHI_PRIORITY_REALTIME = 3,
};

/**
 * struct drm_asahi_queue_create - Argument of %DRM_IOCTL_ASAHI_QUEUE_CREATE.
 */
struct drm_asahi_queue_create {
	/** @flags: MBZ. */
	__u32 flags;

	/** @vm_id: The VM the queue's work runs in. */
	__u32 vm_id;

	/** @priority: One of &enum drm_asahi_priority. */
	__u32 priority;

	/** @queue_id: Output: identifier of the new queue. */
	__u32 queue_id;

	/**
	 * @usc_exec_base: GPU virtual address that every shader (USC)
	 * address of this queue's work is relative to; those addresses are
	 * 32 bits wide.
	 *
	 * The kernel loads it into the USC_EXEC_BASE_TA (vertex),
	 * USC_EXEC_BASE_ISP (fragment) and USC_EXEC_BASE_CP (compute)
	 * registers for every command of the queue. The hardware would allow a
	 * base per command and per stage; one per queue is all userspace needs
	 * when it keeps its shaders in a fixed 4 GiB region of the VM.
	 */
	__u64 usc_exec_base;
};

/**
 * struct drm_asahi_queue_destroy - Argument of %DRM_IOCTL_ASAHI_QUEUE_DESTROY.
 */
struct drm_asahi_queue_destroy {
	/** @queue_id: The queue to drop. */
	__u32 queue_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_asahi_sync_type - Values of drm_asahi_sync.sync_type.
 */
enum drm_asahi_sync_type {
	/** @DRM_ASAHI_SYNC_SYNCOBJ: A binary sync object. */
	DRM_ASAHI_SYNC_SYNCOBJ = 0,

	/** @DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ: A point on a timeline sync object. */
	DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ = 1,
};

/**
 * struct drm_asahi_sync - A sync object a submit waits on or signals.
 */
struct drm_asahi_sync {
	/** @sync_type: One of &enum drm_asahi_sync_type. */
	__u32 sync_type;

	/** @handle: Handle of the sync object. */
	__u32 handle;

	/**
	 * @timeline_value: The timeline point; must be zero for a binary sync
	 * object.
	 */
	__u64 timeline_value;
};

/**
 * define DRM_ASAHI_BARRIER_NONE - Barrier value meaning "wait for nothing".
 *
 * Used in drm_asahi_cmd_header.vdm_barrier and .cdm_barrier when a command
 * need not wait for earlier work of that subqueue.
 */
#define DRM_ASAHI_BARRIER_NONE (0xFFFFu)

/**
 * struct drm_asahi_cmd_header - Header in front of each command of a
 * command buffer.
 *
 * The header itself can never change, since it is what makes the rest of
 * the buffer parseable.
 */
struct drm_asahi_cmd_header {
	/** @cmd_type: One of &enum drm_asahi_cmd_type. */
	__u16 cmd_type;

	/**
	 * @size: Bytes of payload after this header.
	 *
	 * For RENDER and COMPUTE it may be less than the kernel's structure:
	 * the missing tail reads as zero, which keeps older userspace working.
	 * For the attachment-setting commands it is the number of attachments
	 * times sizeof(&struct drm_asahi_attachment).
	 */
	__u16 size;

	/**
	 * @vdm_barrier: Which render work this command waits for.
	 *
	 * The value counts render commands from the start of this submit: 0
	 * waits for all render work of earlier submits to this queue, N waits
	 * for the first N render commands of this submit as well (so N must
	 * not exceed the render commands before this one), and
	 * %DRM_ASAHI_BARRIER_NONE waits for no render work. Attachment-setting
	 * commands must use %DRM_ASAHI_BARRIER_NONE.
	 */
	__u16 vdm_barrier;

	/**
	 * @cdm_barrier: Which compute work this command waits for; counted as
	 * for @vdm_barrier, over compute commands.
	 */
	__u16 cdm_barrier;
};

/**
 * struct drm_asahi_submit - Argument of %DRM_IOCTL_ASAHI_SUBMIT.
 */
struct drm_asahi_submit {
	/**
	 * @syncs: Userspace address of an array of &struct drm_asahi_sync:
	 * first the @in_sync_count objects to wait on, then the
	 * @out_sync_count objects to signal. May be zero when both counts are.
	 */
	__u64 syncs;

	/**
	 * @cmdbuf: Userspace address of the command buffer: commands one
	 * after the other, each a &struct drm_asahi_cmd_header followed by its
	 * payload. The buffer holds no CPU addresses, so it can cross a VM
	 * boundary as it is.
	 *
	 * It must hold at least one RENDER or COMPUTE command and at most
	 * drm_asahi_params_global.max_commands_per_submission of them.
	 */
	__u64 cmdbuf;

	/** @flags: MBZ. */
	__u32 flags;

	/** @queue_id: The queue to run the commands on. */
	__u32 queue_id;

	/** @in_sync_count: Sync objects to wait on before the work starts. */
	__u32 in_sync_count;

	/** @out_sync_count: Sync objects to signal when the work is done. */
	__u32 out_sync_count;

	/** @cmdbuf_size: Length of the command buffer in bytes. */
	__u32 cmdbuf_size;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * struct drm_asahi_attachment - A memory range shaders of a command write.
 *
 * Typically a render target the end-of-tile program stores to. The list is
 * a hint passed on to the firmware, and may be left empty: it cannot be
 * complete anyway when shaders write through arbitrary pointers.
 *
 * The payload size of the attachment-setting commands counts these, so the
 * structure has a fixed size.
 */
struct drm_asahi_attachment {
	/** @pointer: GPU virtual address of the range. */
	__u64 pointer;

	/** @size: Length of the range in bytes. */
	__u64 size;

	/** @pad: MBZ. */
	__u32 pad;

	/** @flags: MBZ. */
	__u32 flags;
};

/**
 * enum drm_asahi_render_flags - Bits of drm_asahi_cmd_render.flags.
 */
enum drm_asahi_render_flags {
	/**
	 * @DRM_ASAHI_RENDER_VERTEX_SCRATCH: A vertex-stage shader of the pass
	 * uses scratch memory.
	 */
	DRM_ASAHI_RENDER_VERTEX_SCRATCH = (1U << 0),

	/**
	 * @DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES: Run the tile programs on
	 * tiles no primitive touches. Needed whenever the pass clears.
	 */
	DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES = (1U << 1),

	/**
	 * @DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING: Keep the vertex stage on one
	 * cluster of a multi-cluster GPU. Slower; a debugging aid for
	 * coherency problems.
	 */
	DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING = (1U << 2),

	/**
	 * @DRM_ASAHI_RENDER_DBIAS_IS_INT: Apply depth bias with the formula for
	 * normalised-integer depth buffers instead of the floating-point one.
	 * The bit number matches the hardware control register's.
	 */
	DRM_ASAHI_RENDER_DBIAS_IS_INT = (1U << 18),
};

/**
 * struct drm_asahi_zls_buffer - A depth or stencil buffer of a render pass.
 *
 * The ZLS (depth/stencil load and store) unit has a load, a store and a
 * partial-render register for each field; the kernel programs all three
 * from the one value here.
 */
struct drm_asahi_zls_buffer {
	/** @base: GPU virtual address of the buffer. */
	__u64 base;

	/**
	 * @comp_base: GPU virtual address of the compression metadata, when
	 * the buffer is compressed.
	 */
	__u64 comp_base;

	/** @stride: Bytes from one layer to the next, for layered rendering. */
	__u32 stride;

	/** @comp_stride: As @stride, for the compression metadata. */
	__u32 comp_stride;
};

/**
 * struct drm_asahi_timestamp - Where the firmware writes one timestamp.
 *
 * The location is a byte offset in an object made with
 * %DRM_IOCTL_ASAHI_GEM_BIND_OBJECT and
 * %DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS, not a GPU address, because only
 * such objects are reachable by the firmware.
 */
struct drm_asahi_timestamp {
	/**
	 * @handle: drm_asahi_gem_bind_object.object_handle of the object, or
	 * 0 for no timestamp.
	 */
	__u32 handle;

	/** @offset: Byte offset of the timestamp in the object. */
	__u32 offset;
};

/**
 * struct drm_asahi_timestamps - The timestamps at the start and end of a
 * piece of work.
 */
struct drm_asahi_timestamps {
	/** @start: Written when the work starts. */
	struct drm_asahi_timestamp start;

	/** @end: Written when the work ends. */
	struct drm_asahi_timestamp end;
};

/**
 * struct drm_asahi_helper_program - The helper program of a stage.
 *
 * The hardware launches this small compute-like program itself when a
 * stage needs it, chiefly to hand out scratch and stack memory to subgroups
 * from one allocation for the whole device.
 */
struct drm_asahi_helper_program {
	/**
	 * @binary: USC address of the program, with configuration bits in its
	 * low bits.
	 */
	__u32 binary;

	/** @cfg: More configuration bits for the program. */
	__u32 cfg;

	/**
	 * @data: A value the program can read through special registers.
	 * Nothing but userspace's program interprets it; in practice it is the
	 * GPU address of the program's real arguments.
	 */
	__u64 data;
};

/**
 * struct drm_asahi_bg_eot - A background or end-of-tile program.
 *
 * The tile buffer is on-chip memory, so render targets exist in memory only
 * through these programs: the background program fills each tile at the
 * start (with a clear colour or what memory holds) and the end-of-tile
 * program writes it back.
 */
struct drm_asahi_bg_eot {
	/**
	 * @usc: USC address of the program's USC word list, which binds its
	 * resources (textures, uniforms) and names the program. Configuration
	 * bits sit in the low bits.
	 */
	__u32 usc;

	/**
	 * @rsrc_spec: Packed hardware word giving how many registers,
	 * uniforms, textures and samplers the program uses.
	 */
	__u32 rsrc_spec;
};

/**
 * struct drm_asahi_cmd_render - Payload of a %DRM_ASAHI_CMD_RENDER command.
 *
 * One render pass: any number of draws into framebuffer attachments whose
 * size and layout stay fixed through the pass.
 *
 * Most fields are values of hardware control registers for the pass. The
 * firmware programs those registers from its own structures, whose layout
 * changes between firmware versions; passing register values instead keeps
 * this interface stable when the firmware changes. The kernel also needs
 * the framebuffer size, to build the tiling structures of the pass.
 */
struct drm_asahi_cmd_render {
	/** @flags: Bit set of &enum drm_asahi_render_flags. */
	__u32 flags;

	/**
	 * @isp_zls_pixels: Value of ISP_ZLS_PIXELS: the size of the depth and
	 * stencil buffers, which may differ from the framebuffer's.
	 */
	__u32 isp_zls_pixels;

	/**
	 * @vdm_ctrl_stream_base: Value of VDM_CTRL_STREAM_BASE: GPU virtual
	 * address of the first word of the pass's VDM control stream.
	 */
	__u64 vdm_ctrl_stream_base;

	/** @vertex_helper: Helper program of the vertex stage. */
	struct drm_asahi_helper_program vertex_helper;

	/** @fragment_helper: Helper program of the fragment stage. */
	struct drm_asahi_helper_program fragment_helper;

	/**
	 * @isp_scissor_base: Value of ISP_SCISSOR_BASE: GPU virtual address of
	 * the scissor rectangles the pass's draws index.
	 */
	__u64 isp_scissor_base;

	/**
	 * @isp_dbias_base: Value of ISP_DBIAS_BASE: GPU virtual address of the
	 * depth-bias values the pass's draws index.
	 */
	__u64 isp_dbias_base;

	/**
	 * @isp_oclqry_base: Value of ISP_OCLQRY_BASE: GPU virtual address of
	 * the occlusion-query counters the pass writes.
	 */
	__u64 isp_oclqry_base;

	/** @depth: The depth buffer. */
	struct drm_asahi_zls_buffer depth;

	/** @stencil: The stencil buffer. */
	struct drm_asahi_zls_buffer stencil;

	/** @zls_ctrl: Value of ZLS_CTRL. */
	__u64 zls_ctrl;

	/** @ppp_multisamplectl: Value of PPP_MULTISAMPLECTL. */
	__u64 ppp_multisamplectl;

	/**
	 * @sampler_heap: GPU virtual address of the sampler descriptors, used
	 * by both stages.
	 */
	__u64 sampler_heap;

	/** @ppp_ctrl: Value of PPP_CTRL. */
	__u32 ppp_ctrl;

	/** @width_px: Framebuffer width in pixels. */
	__u16 width_px;

	/** @height_px: Framebuffer height in pixels. */
	__u16 height_px;

	/** @layers: Number of framebuffer layers. */
	__u16 layers;

	/** @sampler_count: Number of descriptors at @sampler_heap. */
	__u16 sampler_count;

	/** @utile_width_px: Width of a tile-buffer tile, in pixels. */
	__u8 utile_width_px;

	/** @utile_height_px: Height of a tile-buffer tile, in pixels. */
	__u8 utile_height_px;

	/** @samples: Samples per pixel: 1, 2 or 4. */
	__u8 samples;

	/** @sample_size_B: Tile-buffer bytes each sample needs. */
	__u8 sample_size_B;

	/**
	 * @isp_merge_upper_x: IEEE single-precision bits of
	 * tan(60 degrees) * @width_px, a constant of the hardware's triangle
	 * merging, computed by userspace so the kernel needs no floating point.
	 */
	__u32 isp_merge_upper_x;

	/**
	 * @isp_merge_upper_y: Likewise, tan(60 degrees) * @height_px.
	 */
	__u32 isp_merge_upper_y;

	/** @bg: Background program, run on each tile as the pass starts. */
	struct drm_asahi_bg_eot bg;

	/** @eot: End-of-tile program, run on each tile as the pass ends. */
	struct drm_asahi_bg_eot eot;

	/**
	 * @partial_bg: Background program run when the pass resumes after a
	 * partial render (one the hardware breaks off, for example when its
	 * tiling memory runs out).
	 */
	struct drm_asahi_bg_eot partial_bg;

	/**
	 * @partial_eot: End-of-tile program run when the pass is broken off
	 * for a partial render.
	 */
	struct drm_asahi_bg_eot partial_eot;

	/**
	 * @isp_bgobjdepth: Value of ISP_BGOBJDEPTH: the depth clear value in
	 * the depth buffer's format, a 32-bit float or a 16-bit unorm in the
	 * low half with the high half zero.
	 */
	__u32 isp_bgobjdepth;

	/**
	 * @isp_bgobjvals: Value of ISP_BGOBJVALS; its low 8 bits are the
	 * stencil clear value.
	 */
	__u32 isp_bgobjvals;

	/** @ts_vtx: Timestamps around the vertex stage. */
	struct drm_asahi_timestamps ts_vtx;

	/** @ts_frag: Timestamps around the fragment stage. */
	struct drm_asahi_timestamps ts_frag;
};

/**
 * struct drm_asahi_cmd_compute - Payload of a %DRM_ASAHI_CMD_COMPUTE command.
 *
 * A CDM control stream with any number of dispatches. Timestamps cover the
 * whole command.
 */
struct drm_asahi_cmd_compute {
	/** @flags: MBZ. */
	__u32 flags;

	/** @sampler_count: Number of descriptors at @sampler_heap. */
	__u32 sampler_count;

	/**
	 * @cdm_ctrl_stream_base: Value of CDM_CTRL_STREAM_BASE: GPU virtual
	 * address of the first word of the CDM control stream.
	 */
	__u64 cdm_ctrl_stream_base;

	/**
	 * @cdm_ctrl_stream_end: GPU virtual address just past the first
	 * contiguous piece of the control stream (the stream may jump on
	 * elsewhere).
	 */
	__u64 cdm_ctrl_stream_end;

	/** @sampler_heap: GPU virtual address of the sampler descriptors. */
	__u64 sampler_heap;

	/** @helper: Helper program of the command. */
	struct drm_asahi_helper_program helper;

	/** @ts: Timestamps around the command. */
	struct drm_asahi_timestamps ts;
};

/**
 * struct drm_asahi_get_time - Argument of %DRM_IOCTL_ASAHI_GET_TIME.
 */
struct drm_asahi_get_time {
	/** @flags: MBZ. */
	__u64 flags;

	/** @gpu_timestamp: Output: the GPU clock now, in nanoseconds. */
	__u64 gpu_timestamp;
};

/*
 * The request codes: DRM_COMMAND_BASE plus the index, with the direction and
 * the argument structure's size folded in by the DRM_IO* macros of drm.h.
 * They are enumerators rather than macros so binding generators see them.
 */
enum {
	DRM_IOCTL_ASAHI_GET_PARAMS =
		DRM_IOW(DRM_COMMAND_BASE + DRM_ASAHI_GET_PARAMS, struct drm_asahi_get_params),
	DRM_IOCTL_ASAHI_GET_TIME =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_ASAHI_GET_TIME, struct drm_asahi_get_time),
	DRM_IOCTL_ASAHI_VM_CREATE =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_ASAHI_VM_CREATE, struct drm_asahi_vm_create),
	DRM_IOCTL_ASAHI_VM_DESTROY =
		DRM_IOW(DRM_COMMAND_BASE + DRM_ASAHI_VM_DESTROY, struct drm_asahi_vm_destroy),
	DRM_IOCTL_ASAHI_VM_BIND =
		DRM_IOW(DRM_COMMAND_BASE + DRM_ASAHI_VM_BIND, struct drm_asahi_vm_bind),
	DRM_IOCTL_ASAHI_GEM_CREATE =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_ASAHI_GEM_CREATE, struct drm_asahi_gem_create),
	DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_ASAHI_GEM_MMAP_OFFSET,
			 struct drm_asahi_gem_mmap_offset),
	DRM_IOCTL_ASAHI_GEM_BIND_OBJECT =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_ASAHI_GEM_BIND_OBJECT,
			 struct drm_asahi_gem_bind_object),
	DRM_IOCTL_ASAHI_QUEUE_CREATE =
		DRM_IOWR(DRM_COMMAND_BASE + DRM_ASAHI_QUEUE_CREATE, struct drm_asahi_queue_create),
	DRM_IOCTL_ASAHI_QUEUE_DESTROY =
		DRM_IOW(DRM_COMMAND_BASE + DRM_ASAHI_QUEUE_DESTROY, struct drm_asahi_queue_destroy),
	DRM_IOCTL_ASAHI_SUBMIT =
		DRM_IOW(DRM_COMMAND_BASE + DRM_ASAHI_SUBMIT, struct drm_asahi_submit),
};

#if defined(__cplusplus)
}
#endif

#endif /* _ASAHI_DRM_H_ */
