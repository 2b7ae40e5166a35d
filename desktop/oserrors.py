"""What a failed file operation means, in the officer's words (the system's text is English)."""

from __future__ import annotations

import errno

REASONS: dict[int, str] = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在位置只读",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EBUSY: "文件正被占用",
}


def os_error_text(exc: OSError) -> str:
    """``exc`` in Chinese where its errno is a common one, else the system's own words."""
    reason = REASONS.get(exc.errno) if exc.errno is not None else None
    return reason or exc.strerror or str(exc)
