// Replaceable allocation functions for flowbench-cli: operator new over malloc (mimalloc's
// when FB_USE_MIMALLOC links it), throwing std::bad_alloc on exhaustion as the standard says.
//
// Why: Debian's libmimalloc also defines operator new, and when an allocation fails it looks
// for a new-handler through a copy of std::get_new_handler bound inside the library (always
// none), so it aborts the process. Definitions in the executable take precedence over every
// shared library's, so these make an exhausted allocation a std::bad_alloc that core turns
// into the error of the line it happened in.

#include <algorithm>
#include <cstdlib>
#include <new>

namespace {

void *allocate(std::size_t size)
{
    for (;;) {
        if (void *p = std::malloc(size != 0 ? size : 1)) {
            return p;
        }
        std::new_handler handler = std::get_new_handler();
        if (!handler) {
            throw std::bad_alloc();
        }
        handler();
    }
}

void *allocateAligned(std::size_t size, std::align_val_t alignment)
{
    const auto align = std::max(static_cast<std::size_t>(alignment), sizeof(void *));
    for (;;) {
        void *p = nullptr;
        if (::posix_memalign(&p, align, size != 0 ? size : 1) == 0) {
            return p;
        }
        std::new_handler handler = std::get_new_handler();
        if (!handler) {
            throw std::bad_alloc();
        }
        handler();
    }
}

template <typename F> void *orNull(F &&allocateOrThrow) noexcept
{
    try {
        return allocateOrThrow();
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
}

} // namespace

void *operator new(std::size_t size) { return allocate(size); }
void *operator new[](std::size_t size) { return allocate(size); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    return orNull([&] { return allocate(size); });
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept
{
    return orNull([&] { return allocate(size); });
}
void *operator new(std::size_t size, std::align_val_t alignment)
{
    return allocateAligned(size, alignment);
}
void *operator new[](std::size_t size, std::align_val_t alignment)
{
    return allocateAligned(size, alignment);
}
void *operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t &) noexcept
{
    return orNull([&] { return allocateAligned(size, alignment); });
}
void *operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t &) noexcept
{
    return orNull([&] { return allocateAligned(size, alignment); });
}

void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept { std::free(p); }
