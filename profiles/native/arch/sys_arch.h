/*
 * smolwip "native" profile: OS object types. Like an RTOS port, every object is a
 * handle (a pointer) that the caller stores and the library allocates.
 */
#ifndef SMOLWIP_NATIVE_ARCH_SYS_ARCH_H
#define SMOLWIP_NATIVE_ARCH_SYS_ARCH_H

typedef void *sys_sem_t;
typedef void *sys_mutex_t;
typedef void *sys_mbox_t;
typedef void *sys_thread_t;

#define SYS_MBOX_NULL NULL
#define SYS_SEM_NULL  NULL

#define sys_sem_valid(sem)             (((sem) != NULL) && (*(sem) != NULL))
#define sys_sem_valid_val(sem)         ((sem) != NULL)
#define sys_sem_set_invalid(sem)       do { if ((sem) != NULL) { *(sem) = NULL; } } while (0)
#define sys_sem_set_invalid_val(sem)   do { (sem) = NULL; } while (0)
#define sys_mutex_valid(mutex)         sys_sem_valid(mutex)
#define sys_mutex_set_invalid(mutex)   sys_sem_set_invalid(mutex)
#define sys_mbox_valid(mbox)           sys_sem_valid(mbox)
#define sys_mbox_valid_val(mbox)       sys_sem_valid_val(mbox)
#define sys_mbox_set_invalid(mbox)     sys_sem_set_invalid(mbox)
#define sys_mbox_set_invalid_val(mbox) sys_sem_set_invalid_val(mbox)

#endif /* SMOLWIP_NATIVE_ARCH_SYS_ARCH_H */
