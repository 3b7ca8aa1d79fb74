/* A stand-in for Windows' bcryptprimitives.dll, for the tests under Wine only (never in a
 * release archive). Rust's standard library asks it for ProcessPrng (Windows 10 and later
 * have it); Wine 8.0, Debian 12's, does not, so gazette.exe would stop at start-up. This
 * gives it the same bytes source Windows used before: RtlGenRandom (advapi32's
 * SystemFunction036). Built with mingw-w64 by scripts/test-other-systems.sh:
 *   x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
