//! pbuf API (lwip/pbuf.h): C-layout packet buffers, chains, reference counts, custom pbufs.
