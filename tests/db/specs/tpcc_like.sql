CREATE TABLE warehouse (w_id int PRIMARY KEY, w_tax decimal(4,4));
CREATE TABLE district (d_w_id int REFERENCES warehouse (w_id), d_id int, d_tax decimal(4,4), d_name varchar(10), PRIMARY KEY (d_w_id, d_id));
CREATE TABLE customer (c_w_id int, c_d_id int, c_id int, c_last varchar(16), PRIMARY KEY (c_w_id, c_d_id, c_id), FOREIGN KEY (c_w_id, c_d_id) REFERENCES district (d_w_id, d_id));
CREATE TABLE history (h_c_w_id int, h_c_d_id int, h_c_id int, h_amount decimal(6,2), FOREIGN KEY (h_c_w_id, h_c_d_id, h_c_id) REFERENCES customer (c_w_id, c_d_id, c_id));
CREATE TABLE item (i_id varchar(8) PRIMARY KEY, i_name varchar(24));
CREATE TABLE stock (s_w_id int REFERENCES warehouse (w_id), s_i_id varchar(8) REFERENCES item (i_id), s_qty int, PRIMARY KEY (s_w_id, s_i_id));
