//! The views: everything the catalog is turned into for people and other tools. The README
//! (`render`), tables and data formats (`output`), citations (`cite`), figures and the chart
//! (`stats`), the website (`site`). Views read the catalog; they never load, fetch or check anything themselves.

pub mod cite;
pub mod output;
pub mod render;
pub mod site;
pub mod stats;
