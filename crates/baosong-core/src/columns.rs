//! The columns (栏目) offered while drafting, until the portal connector
//! supplies the unit's assigned columns. Names and cadences follow common
//! government-portal layouts (see docs/architecture.md).

use crate::model::ColumnRef;

/// Column id, name: a typical county/city portal's columns.
const DEFAULTS: &[(&str, &str)] = &[
    ("bmdt", "部门动态"),
    ("gzdt", "工作动态"),
    ("tzgg", "通知公告"),
    ("zcwj", "政策文件"),
    ("zcjd", "政策解读"),
    ("rsxx", "人事信息"),
    ("ghjh", "规划计划"),
    ("tjxx", "统计信息"),
    ("czzj", "财政资金"),
    ("jyta", "建议提案办理"),
    ("hygq", "回应关切"),
];

pub fn default_columns() -> Vec<ColumnRef> {
    DEFAULTS
        .iter()
        .map(|(id, name)| ColumnRef {
            id: (*id).to_string(),
            name: (*name).to_string(),
        })
        .collect()
}
