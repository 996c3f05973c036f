//! lwIP's one-shot timeouts (`sys_timeout`), run by the tcpip thread when due.

use alloc::vec::Vec;
use core::ffi::c_void;

#[derive(Clone, Copy)]
pub struct Timer {
    pub deadline_us: u64,
    pub handler: unsafe extern "C" fn(*mut c_void),
    pub arg: *mut c_void,
}

#[derive(Default)]
pub struct Timers {
    list: Vec<Timer>,
}

impl Timers {
    pub fn add(&mut self, t: Timer) {
        self.list.push(t);
    }

    /// Remove the first timeout with this handler and argument, as `sys_untimeout` does.
    pub fn remove_first(&mut self, handler: unsafe extern "C" fn(*mut c_void), arg: *mut c_void) {
        if let Some(i) = self.list.iter().position(|t| core::ptr::fn_addr_eq(t.handler, handler) && t.arg == arg) {
            self.list.remove(i);
        }
    }

    /// The earliest due timer, removed from the list (earliest first, ties in order added).
    pub fn take_due(&mut self, now_us: u64) -> Option<Timer> {
        let (i, _) = self
            .list
            .iter()
            .enumerate()
            .filter(|(_, t)| t.deadline_us <= now_us)
            .min_by_key(|(i, t)| (t.deadline_us, *i))?;
        Some(self.list.remove(i))
    }

    pub fn next_deadline(&self) -> Option<u64> {
        self.list.iter().map(|t| t.deadline_us).min()
    }

    /// Move every deadline by `delta_us` (sys_restart_timeouts).
    pub fn shift(&mut self, delta_us: u64) {
        for t in &mut self.list {
            t.deadline_us += delta_us;
        }
    }
}
