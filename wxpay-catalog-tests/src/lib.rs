//! Generated declarations of every APIv3 endpoint (placeholder).
