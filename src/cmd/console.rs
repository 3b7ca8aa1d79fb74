//! The terminal a clerk types into. On Windows, `cmd.exe` and PowerShell show colours only
//! once virtual-terminal processing is switched on (Windows 10 and later can); where it
//! cannot be, output stays plain, never escape codes. (Chinese needs nothing: the standard
//! library writes UTF-16 to a console whatever its code page, 936 included.) And a
//! double-clicked `gazette.exe` gets a console of its own that would close at once: in a
//! site's folder it starts the preview and opens the console in the browser (the window
//! stays while it serves); elsewhere it says how to use gazette and waits for Enter.

use std::sync::atomic::{AtomicBool, Ordering};

static ESCAPES_WORK: AtomicBool = AtomicBool::new(true);

/// Prepares the terminal; returns true when gazette is the only program in its console
/// (started by a double-click in Explorer, not from a prompt).
pub(crate) fn prepare() -> bool {
    let (escapes, alone) = imp::prepare();
    ESCAPES_WORK.store(escapes, Ordering::Relaxed);
    alone
}

/// Whether colour escapes reach the terminal as colours.
pub(crate) fn escapes_work() -> bool {
    ESCAPES_WORK.load(Ordering::Relaxed)
}

/// The site a double-clicked gazette belongs to: the current folder (Explorer starts a
/// program in its own folder) or the program's folder, when it holds `content/` and `data/`.
pub(crate) fn site_beside_me() -> Option<std::path::PathBuf> {
    let is_site = |d: &std::path::Path| d.join("content").is_dir() && d.join("data").is_dir();
    let here = std::env::current_dir().ok().filter(|d| is_site(d));
    here.or_else(|| {
        let exe = std::env::current_exe().ok()?;
        exe.parent().filter(|d| is_site(d)).map(|d| d.to_path_buf())
    })
}

/// What a double-clicked gazette shows before its window closes.
pub(crate) fn explain_and_wait(help: &str) {
    eprintln!("{help}");
    eprintln!(
        "\ngazette 是命令行程序：请打开“命令提示符”或 PowerShell，进入网站文件夹，输入上面的命令（例如 gazette build）。\n按回车键关闭这个窗口。"
    );
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[cfg(windows)]
mod imp {
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetConsoleProcessList, GetStdHandle, SetConsoleMode,
        ENABLE_VIRTUAL_TERMINAL_PROCESSING, STD_ERROR_HANDLE,
    };

    /// (colour escapes work, gazette is alone in its console).
    pub(super) fn prepare() -> (bool, bool) {
        // SAFETY: plain Win32 calls on this process's own standard handle and a local
        // buffer of the length passed.
        unsafe {
            let err = GetStdHandle(STD_ERROR_HANDLE);
            let mut mode = 0;
            let escapes = GetConsoleMode(err, &mut mode) != 0
                && SetConsoleMode(err, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
            let mut ids = [0u32; 2];
            let alone = GetConsoleProcessList(ids.as_mut_ptr(), 2) == 1;
            (escapes, alone)
        }
    }
}

#[cfg(not(windows))]
mod imp {
    /// Terminals elsewhere read escapes as they are; a program is never alone in one.
    pub(super) fn prepare() -> (bool, bool) {
        (true, false)
    }
}
